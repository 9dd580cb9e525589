package io.dqspark.model;

/**
 * The eight quantization sites of a GAT layer, in the order a model file stores their
 * parameters. Mirrors the training side's {@code io.dqspark.gnn.GatPoint} by name, but lives here
 * so that reading and scoring a model loads no DL4J class.
 */
public enum GatSite {
  /** Layer input X. */
  INPUT,
  /** Weights W of every head (signed). */
  WEIGHT,
  /** The transformed features Z = XW, all heads side by side. */
  XW,
  /** Both attention vectors, through one quantizer (signed). */
  ATTENTION,
  /** Attention logits before the LeakyReLU, one per edge and head (signed). */
  LOGIT,
  /** Messages alpha * Z[src], one per edge. */
  MESSAGE,
  /** Sum of the messages at each target, per head. */
  AGGREGATE,
  /** Merged heads plus bias: before the activation for NONE and ELU, after it for RELU. */
  OUTPUT
}
