package io.dqspark.gnn;

import java.util.Objects;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * Configuration of a quantized fully connected layer for graph-level heads: {@code Y =
 * act(Q_out(Q_in(dropout(X)) Q_w(W) + b))} on {@code [rows, nIn]} input, with {@code act} ReLU or
 * none, the bias in full precision and optional dropout on {@code X} in training. It exists
 * because DL4J's own dense layer knows nothing of {@link QuantPoint}s: this one quantizes in the
 * same modes and with the same range trackers as the GNN layers ({@link DensePoint}).
 *
 * <p>A single vertex input (typically a {@link PoolVertex}'s {@code [G, hidden]}). Rows are graphs,
 * not nodes, so nothing is protected in DQ mode: {@code maskSeed} is unused. Parameters, in layout
 * order: {@code W [nIn, nOut]}, {@code b [1, nOut]} and the non-trainable state {@code q} ({@link
 * QuantDenseVertexImpl#STATE_LENGTH} values, present in every mode). The L2 penalty applies to
 * {@code W}; {@code signedInput} false (e.g. after a ReLU and a pool) makes the input quantizer
 * unsigned. The updater must be set here. A bean: see {@link QuantizedGraphVertex}.
 */
public class QuantDenseVertex extends QuantizedGraphVertex<QuantDenseVertex> {
  private int nOut;
  private boolean relu;
  private double dropout;

  public QuantDenseVertex() {}

  public QuantDenseVertex(int nIn, int nOut, boolean relu, double dropout, IUpdater updater) {
    super(nIn, updater);
    this.nOut = nOut;
    this.relu = relu;
    this.dropout = dropout;
  }

  public int getNOut() { return nOut; }
  public void setNOut(int nOut) { this.nOut = nOut; }
  /** Whether a ReLU follows the output quantizer. */
  public boolean isRelu() { return relu; }
  public void setRelu(boolean relu) { this.relu = relu; }
  /** Probability of dropping each input element in training (0: no dropout). */
  public double getDropout() { return dropout; }
  public void setDropout(double dropout) { this.dropout = dropout; }

  @Override
  protected int outputWidth() {
    return nOut;
  }

  /** One input, unlike the GNN layers' four. */
  @Override
  public int minVertexInputs() {
    return 1;
  }

  @Override
  public int maxVertexInputs() {
    return 1;
  }

  @Override
  public QuantDenseVertex clone() {
    return copySettingsTo(new QuantDenseVertex(getNIn(), nOut, relu, dropout, null));
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof QuantDenseVertex)) {
      return false;
    }
    QuantDenseVertex v = (QuantDenseVertex) o;
    return sameSettings(v) && nOut == v.nOut && relu == v.relu && Double.compare(dropout, v.dropout) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(settingsHash(), nOut, relu, dropout);
  }

  @Override
  public long numParams(boolean backprop) {
    return QuantDenseVertexImpl.trainableParams(getNIn(), nOut) + QuantDenseVertexImpl.STATE_LENGTH;
  }

  @Override
  public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph,
      String name, int idx, INDArray paramsView, boolean initializeParams, DataType dataType) {
    return new QuantDenseVertexImpl(graph, name, idx, this, paramsView, initializeParams, dataType);
  }

  @Override
  public String toString() {
    return "QuantDenseVertex(" + getNIn() + " -> " + nOut + (relu ? ", relu" : "") + ", dropout="
        + dropout + quantizationLabel() + ")";
  }
}
