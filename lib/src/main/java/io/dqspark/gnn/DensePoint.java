package io.dqspark.gnn;

/**
 * The quantization points of a {@link QuantDenseVertex}, in forward order. Rows are graphs (or any
 * rows), not nodes, so none of them honours DQ's protective mask.
 */
public enum DensePoint {
  /** The layer input after dropout; signed unless the vertex says otherwise. */
  INPUT,
  /** The weight matrix; the bias stays in full precision. */
  WEIGHT,
  /** {@code X W + b}, before the activation (signed; ReLU keeps grid values on the grid). */
  OUTPUT
}
