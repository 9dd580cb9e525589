package io.dqspark.model;

/**
 * The seven quantization sites of a GCN layer, in the order a model file stores their parameters.
 * Mirrors the training side's {@code io.dqspark.gnn.GcnPoint} by name, but lives here so that
 * reading and scoring a model loads no DL4J class.
 */
public enum GcnSite {
  /** Layer input X. */
  INPUT,
  /** Weights W (always signed codes in a model file). */
  WEIGHT,
  /** The transformed features XW. */
  XW,
  /** Per-edge normalisation coefficients 1/sqrt(deg(u) deg(v)). */
  NORM,
  /** Messages norm * XW[src], one per edge. */
  MESSAGE,
  /** Sum of the messages at each target. */
  AGGREGATE,
  /** Aggregation plus bias, before the optional ReLU. */
  OUTPUT
}
