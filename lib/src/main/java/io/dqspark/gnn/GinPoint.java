package io.dqspark.gnn;

/**
 * The quantization points of a GIN layer, in forward order (design §4). Only the node- and
 * edge-indexed points of the message passing ({@link #MESSAGE}, {@link #AGGREGATE}, {@link
 * #OUTPUT}) honour DQ's protective mask; the MLP's points quantize every row, like the
 * reference's quantized linear layers, which take no mask.
 */
public enum GinPoint {
  /** Messages x[src], rows = edges (self-loops dropped), protected with their source node. */
  MESSAGE,
  /** Sum aggregation at each destination, rows = nodes. */
  AGGREGATE,
  /** Input of the MLP's first linear layer, {@code (1 + eps) x + aggregation}. */
  LIN1_INPUT,
  /** Weights of the first linear layer; never protected. */
  LIN1_WEIGHT,
  /** Output of the first linear layer (bias included), before the MLP's inner ReLU. */
  LIN1_OUTPUT,
  /** Input of the second linear layer (after the inner ReLU, unsigned). */
  LIN2_INPUT,
  /** Weights of the second linear layer; never protected. */
  LIN2_WEIGHT,
  /**
   * The vertex output, rows = nodes: the second linear layer's output (bias included) after the
   * optional ReLU. It doubles as that layer's output quantizer: without BatchNorm in between, a
   * separate unmasked quantizer on the same tensor would undo DQ's protection of the output.
   */
  OUTPUT
}
