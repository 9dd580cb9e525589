package io.dqspark.gnn;

import java.util.Objects;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * Configuration of a graph convolution (Kipf &amp; Welling): {@code H' = act(Â X W + b)} with
 * {@code Â = D^-1/2 (A + I) D^-1/2}, self-loops added by the layer, optional dropout on {@code X}
 * in training, and Degree-Quant's seven quantization points (input, weights, XW, normalisation
 * coefficients, messages, aggregation, output) controlled by {@link QuantMode}.
 *
 * <p>Vertex inputs, in order: node features {@code [N, nIn]}, the header {@code [1, 3]}, {@code
 * mask_prob} {@code [N, 1]} and the edge index {@code [E, 2]} (last, see {@link GraphInputs}).
 *
 * <p>Parameters, in layout order: {@code W [nIn, nOut]}, {@code b [nOut]} and the non-trainable
 * state {@code q} ({@link GcnVertexImpl#STATE_LENGTH} values, present in every mode so that an
 * FP32 checkpoint loads into a quantized network). The updater must be set here: DL4J does not
 * hand its global updater to plain graph vertices. The output quantizer sits before the
 * activation; ReLU keeps quantized values on the grid since 0 is representable.
 *
 * <p>In DQ training a protected node skips quantization of its own rows at every node-indexed
 * point (input, XW, aggregation, output) and of the messages it sends, as the reference's {@code
 * GCNConvMultiQuant} does (design §4 names messages, aggregation and output; the reference also
 * keeps the protected rows of the input and XW in full precision). Weights and normalisation
 * coefficients belong to no node and are always quantized.
 *
 * <p>The L2 penalty applies to {@code W} only (Kipf &amp; Welling penalise the first layer's
 * weights). A bean: see {@link QuantizedGraphVertex}.
 */
public class GcnVertex extends QuantizedGraphVertex<GcnVertex> {
  private int nOut;
  private boolean relu;
  private double dropout;

  public GcnVertex() {}

  public GcnVertex(int nIn, int nOut, boolean relu, double dropout, IUpdater updater) {
    super(nIn, updater);
    this.nOut = nOut;
    this.relu = relu;
    this.dropout = dropout;
  }

  public int getNOut() { return nOut; }
  public void setNOut(int nOut) { this.nOut = nOut; }
  public boolean isRelu() { return relu; }
  public void setRelu(boolean relu) { this.relu = relu; }
  /** Probability of dropping each input element in training (0: no dropout). */
  public double getDropout() { return dropout; }
  public void setDropout(double dropout) { this.dropout = dropout; }

  @Override
  protected int outputWidth() {
    return nOut;
  }

  @Override
  public GcnVertex clone() {
    return copySettingsTo(new GcnVertex(getNIn(), nOut, relu, dropout, null));
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof GcnVertex)) {
      return false;
    }
    GcnVertex v = (GcnVertex) o;
    return sameSettings(v) && nOut == v.nOut && relu == v.relu && Double.compare(dropout, v.dropout) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(settingsHash(), nOut, relu, dropout);
  }

  @Override
  public long numParams(boolean backprop) {
    return (long) getNIn() * nOut + nOut + GcnVertexImpl.STATE_LENGTH;
  }

  @Override
  public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph,
      String name, int idx, INDArray paramsView, boolean initializeParams, DataType dataType) {
    return new GcnVertexImpl(graph, name, idx, this, paramsView, initializeParams, dataType);
  }

  @Override
  public String toString() {
    return "GcnVertex(" + getNIn() + " -> " + nOut + (relu ? ", relu" : "") + ", dropout=" + dropout
        + quantizationLabel() + ")";
  }
}
