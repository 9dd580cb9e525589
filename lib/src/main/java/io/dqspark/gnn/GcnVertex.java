package io.dqspark.gnn;

import io.dqspark.quant.QuantParams;
import java.util.Objects;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
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
 * GCNConvMultiQuant} does (DESIGN §4 names messages, aggregation and output; the reference also
 * keeps the protected rows of the input and XW in full precision). Weights and normalisation
 * coefficients belong to no node and are always quantized.
 *
 * <p>A bean with a no-arg constructor and setters so that DL4J's field-based JSON mapping round
 * trips it; {@link #clone()} copies every field including the updater.
 */
public class GcnVertex extends GraphVertex {
  private int nIn;
  private int nOut;
  private boolean relu;
  private double dropout;
  private double l2;
  private IUpdater updater;
  private QuantMode mode = QuantMode.FP32;
  private int bits = 8;
  private boolean passThrough;
  private boolean signedInput = true;
  private long maskSeed;

  public GcnVertex() {}

  public GcnVertex(int nIn, int nOut, boolean relu, double dropout, IUpdater updater) {
    this.nIn = nIn;
    this.nOut = nOut;
    this.relu = relu;
    this.dropout = dropout;
    this.updater = updater;
  }

  /** Sets the quantization mode and bit width; returns this. */
  public GcnVertex quantization(QuantMode mode, int bits) {
    setMode(mode);
    setBits(bits);
    return this;
  }

  public int getNIn() { return nIn; }
  public void setNIn(int nIn) { this.nIn = nIn; }
  public int getNOut() { return nOut; }
  public void setNOut(int nOut) { this.nOut = nOut; }
  public boolean isRelu() { return relu; }
  public void setRelu(boolean relu) { this.relu = relu; }
  /** Probability of dropping each input element in training (0: no dropout). */
  public double getDropout() { return dropout; }
  public void setDropout(double dropout) { this.dropout = dropout; }
  /** L2 penalty on {@code W} only (Kipf &amp; Welling penalise the first layer's weights). */
  public double getL2() { return l2; }
  public void setL2(double l2) { this.l2 = l2; }
  public IUpdater getUpdater() { return updater; }
  public void setUpdater(IUpdater updater) { this.updater = updater; }
  public QuantMode getMode() { return mode; }
  public void setMode(QuantMode mode) { this.mode = Objects.requireNonNull(mode, "mode"); }
  public int getBits() { return bits; }
  public void setBits(int bits) { this.bits = QuantParams.checkBits(bits); }
  /** Observe ranges but leave values unchanged (gradient checks, calibration). */
  public boolean isPassThrough() { return passThrough; }
  public void setPassThrough(boolean passThrough) { this.passThrough = passThrough; }
  /** Whether the input quantizer is signed; false after a ReLU or for non-negative features. */
  public boolean isSignedInput() { return signedInput; }
  public void setSignedInput(boolean signedInput) { this.signedInput = signedInput; }
  /**
   * Seed of DQ's protective mask. Layers with the same seed draw the same mask in a step (one mask
   * shared by all layers, as the reference's GIN does); distinct seeds give per-layer masks.
   */
  public long getMaskSeed() { return maskSeed; }
  public void setMaskSeed(long maskSeed) { this.maskSeed = maskSeed; }

  @Override
  public GcnVertex clone() {
    GcnVertex c = new GcnVertex(nIn, nOut, relu, dropout, updater == null ? null : updater.clone());
    c.l2 = l2;
    c.mode = mode;
    c.bits = bits;
    c.passThrough = passThrough;
    c.signedInput = signedInput;
    c.maskSeed = maskSeed;
    return c;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof GcnVertex)) {
      return false;
    }
    GcnVertex v = (GcnVertex) o;
    return nIn == v.nIn && nOut == v.nOut && relu == v.relu
        && Double.compare(dropout, v.dropout) == 0 && Double.compare(l2, v.l2) == 0
        && Objects.equals(updater, v.updater) && mode == v.mode && bits == v.bits
        && passThrough == v.passThrough && signedInput == v.signedInput && maskSeed == v.maskSeed;
  }

  @Override
  public int hashCode() {
    return Objects.hash(nIn, nOut, relu, dropout, l2, updater, mode, bits, passThrough,
        signedInput, maskSeed);
  }

  @Override
  public long numParams(boolean backprop) {
    return (long) nIn * nOut + nOut + GcnVertexImpl.STATE_LENGTH;
  }

  @Override
  public int minVertexInputs() {
    return GraphInputs.COUNT;
  }

  @Override
  public int maxVertexInputs() {
    return GraphInputs.COUNT;
  }

  @Override
  public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph,
      String name, int idx, INDArray paramsView, boolean initializeParams, DataType dataType) {
    return new GcnVertexImpl(graph, name, idx, this, paramsView, initializeParams, dataType);
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType... vertexInputs) {
    return InputType.feedForward(nOut);
  }

  @Override
  public MemoryReport getMemoryReport(InputType... inputTypes) {
    InputType in = inputTypes.length > 0 ? inputTypes[0] : InputType.feedForward(nIn);
    return new LayerMemoryReport.Builder(null, GcnVertex.class, in, InputType.feedForward(nOut))
        .standardMemory(numParams(true), 0)
        .workingMemory(0, 0, 0, 0)
        .cacheMemory(0, 0)
        .build();
  }

  @Override
  public String toString() {
    return "GcnVertex(" + nIn + " -> " + nOut + (relu ? ", relu" : "") + ", dropout=" + dropout
        + ", " + mode + (mode == QuantMode.FP32 ? "" : " int" + bits)
        + (passThrough ? " pass-through" : "") + ")";
  }
}
