package io.dqspark.model;

/**
 * The three quantization sites of a quantized dense layer (the graph head's {@code lin1}), in
 * file order. Mirrors the training side's {@code io.dqspark.gnn.DensePoint}.
 */
public enum DenseSite {
  /** The layer input (for the first dense layer: the pooled node rows). */
  INPUT,
  /** Weights (signed). */
  WEIGHT,
  /** {@code x W + b}, before the optional ReLU. */
  OUTPUT
}
