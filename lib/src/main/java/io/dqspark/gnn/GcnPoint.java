package io.dqspark.gnn;

/** The quantization points of a GCN layer, in forward order (design §4). */
public enum GcnPoint {
  /** Layer input X (after dropout), rows = nodes. */
  INPUT,
  /** Weights W; never protected. */
  WEIGHT,
  /** The transformed features XW, rows = nodes. */
  XW,
  /** Edge normalisation coefficients; never protected. */
  NORM,
  /** Messages norm·(XW)[src], rows = edges, protected with their source node. */
  MESSAGE,
  /** Sum aggregation at each destination, rows = nodes. */
  AGGREGATE,
  /** Aggregation + bias, before the activation, rows = nodes. */
  OUTPUT
}
