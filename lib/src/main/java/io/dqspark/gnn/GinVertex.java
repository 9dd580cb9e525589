package io.dqspark.gnn;

import java.util.Objects;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * Configuration of a graph isomorphism layer (Xu et al., GIN): {@code h' = MLP((1 + eps) x +
 * sum over edges j -> i of x_j)} with a trainable scalar {@code eps} (initially 0) and a two-layer
 * MLP {@code Linear(nIn -> hidden) -> ReLU -> Linear(hidden -> hidden)}, optionally followed by a
 * ReLU on the output. Self-loops in the input edge list are dropped (GIN has its own self term);
 * repeated edges count as often as they occur.
 *
 * <p>Quantization ({@link QuantMode}): messages, sum aggregation and the output, and inside the
 * MLP each linear layer's input, weights and output; biases and {@code eps} stay in full
 * precision ({@link GinPoint}); the second linear layer's output quantizer is the vertex's output
 * quantizer, after the optional ReLU (unsigned then). In DQ training a protected node skips quantization of the messages
 * it sends, of its aggregation row and of its output row; the MLP's points quantize every row,
 * as the reference's quantized linear layers do.
 *
 * <p>Not yet here: the reference's GIN MLP has BatchNorm after each linear layer; it is left out
 * for now (its running statistics could later live in the state {@code q} like the ranges).
 *
 * <p>Vertex inputs, in order: node features {@code [N, nIn]}, the header {@code [1, 3]}, {@code
 * mask_prob} {@code [N, 1]} and the edge index {@code [E, 2]} (last, see {@link GraphInputs}).
 * Parameters, in layout order: {@code W1 [nIn, hidden]}, {@code b1 [hidden]}, {@code W2 [hidden,
 * hidden]}, {@code b2 [hidden]}, {@code eps [1]} and the non-trainable state {@code q} ({@link
 * GinVertexImpl#STATE_LENGTH} values, present in every mode). The L2 penalty applies to {@code W1}
 * and {@code W2}; the message and aggregation quantizers are signed only with {@code
 * signedInput}. The updater must be set here: DL4J does not hand its global updater to plain
 * graph vertices.
 *
 * <p>A bean: see {@link QuantizedGraphVertex}.
 */
public class GinVertex extends QuantizedGraphVertex<GinVertex> {
  private int hidden;
  private boolean outputRelu;

  public GinVertex() {}

  public GinVertex(int nIn, int hidden, boolean outputRelu, IUpdater updater) {
    super(nIn, updater);
    this.hidden = hidden;
    this.outputRelu = outputRelu;
  }

  /** Width of both MLP layers, and so of the output. */
  public int getHidden() { return hidden; }
  public void setHidden(int hidden) { this.hidden = hidden; }
  /** Whether a ReLU follows the MLP's second linear layer. */
  public boolean isOutputRelu() { return outputRelu; }
  public void setOutputRelu(boolean outputRelu) { this.outputRelu = outputRelu; }

  @Override
  protected int outputWidth() {
    return hidden;
  }

  @Override
  public GinVertex clone() {
    return copySettingsTo(new GinVertex(getNIn(), hidden, outputRelu, null));
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof GinVertex)) {
      return false;
    }
    GinVertex v = (GinVertex) o;
    return sameSettings(v) && hidden == v.hidden && outputRelu == v.outputRelu;
  }

  @Override
  public int hashCode() {
    return Objects.hash(settingsHash(), hidden, outputRelu);
  }

  @Override
  public long numParams(boolean backprop) {
    return GinVertexImpl.trainableParams(getNIn(), hidden) + GinVertexImpl.STATE_LENGTH;
  }

  @Override
  public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph,
      String name, int idx, INDArray paramsView, boolean initializeParams, DataType dataType) {
    return new GinVertexImpl(graph, name, idx, this, paramsView, initializeParams, dataType);
  }

  @Override
  public String toString() {
    return "GinVertex(" + getNIn() + " -> " + hidden + " -> " + hidden + (outputRelu ? ", relu" : "")
        + quantizationLabel() + ")";
  }
}
