package io.dqspark.gnn;

/**
 * The quantization points of a GAT layer, in forward order (design §4). Node-indexed points
 * honour DQ's protective mask by node, edge-indexed ones by the edge's source node; {@link
 * #WEIGHT} and {@link #ATTENTION} belong to no node and are always quantized. The softmax output
 * (the attention coefficients) has no point: the reference leaves it in full precision.
 */
public enum GatPoint {
  /** Layer input X (after dropout), rows = nodes; signed per {@code signedInput}. */
  INPUT,
  /** Weights W of every head; never protected. */
  WEIGHT,
  /** The transformed features XW, rows = nodes, all heads side by side. */
  XW,
  /**
   * Both attention vectors {@code aSrc} and {@code aDst} through one quantizer (one range, one
   * scale): they are multiplied with the same Z and summed into one logit, so a shared scale keeps
   * the two halves of an integer logit commensurable. Never protected.
   */
  ATTENTION,
  /** Attention logits before the LeakyReLU, rows = edges, one column per head. */
  LOGIT,
  /** Messages alpha·Z[src], rows = edges, protected with their source node. */
  MESSAGE,
  /** Sum aggregation at each destination, rows = nodes, before heads are merged. */
  AGGREGATE,
  /**
   * The merged heads plus bias, rows = nodes: before the activation for NONE and ELU (signed);
   * after it for RELU (unsigned; see {@link GatVertex}).
   */
  OUTPUT
}
