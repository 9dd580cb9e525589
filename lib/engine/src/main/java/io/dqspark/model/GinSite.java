package io.dqspark.model;

/**
 * The eight quantization sites of a GIN layer, in the order a model file stores their
 * parameters. Mirrors the training side's {@code io.dqspark.gnn.GinPoint} by name, but lives here
 * so that reading and scoring a model loads no DL4J class.
 */
public enum GinSite {
  /** Messages x[src], one per edge (the same codes as the source's row). */
  MESSAGE,
  /** Sum of the messages at each target. */
  AGGREGATE,
  /** {@code (1 + eps) x + aggregate}: the MLP's input. */
  LIN1_INPUT,
  /** First linear map's weights (signed). */
  LIN1_WEIGHT,
  /** First linear map's output, bias included, before the inner ReLU. */
  LIN1_OUTPUT,
  /** Second linear map's input: the inner ReLU's output. */
  LIN2_INPUT,
  /** Second linear map's weights (signed). */
  LIN2_WEIGHT,
  /** The layer output: second linear map plus bias, after the optional ReLU. */
  OUTPUT
}
