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
 * and {@code W2}. The updater must be set here: DL4J does not hand its global updater to plain
 * graph vertices.
 *
 * <p>A bean with a no-arg constructor and setters so that DL4J's field-based JSON mapping round
 * trips it; {@link #clone()} copies every field including the updater.
 */
public class GinVertex extends GraphVertex {
  private int nIn;
  private int hidden;
  private boolean outputRelu;
  private double l2;
  private IUpdater updater;
  private QuantMode mode = QuantMode.FP32;
  private int bits = 8;
  private boolean passThrough;
  private boolean signedInput = true;
  private long maskSeed;

  public GinVertex() {}

  public GinVertex(int nIn, int hidden, boolean outputRelu, IUpdater updater) {
    this.nIn = nIn;
    this.hidden = hidden;
    this.outputRelu = outputRelu;
    this.updater = updater;
  }

  /** Sets the quantization mode and bit width; returns this. */
  public GinVertex quantization(QuantMode mode, int bits) {
    setMode(mode);
    setBits(bits);
    return this;
  }

  public int getNIn() { return nIn; }
  public void setNIn(int nIn) { this.nIn = nIn; }
  /** Width of both MLP layers, and so of the output. */
  public int getHidden() { return hidden; }
  public void setHidden(int hidden) { this.hidden = hidden; }
  /** Whether a ReLU follows the MLP's second linear layer. */
  public boolean isOutputRelu() { return outputRelu; }
  public void setOutputRelu(boolean outputRelu) { this.outputRelu = outputRelu; }
  /** L2 penalty on {@code W1} and {@code W2}. */
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
  /**
   * Whether the input can be negative: the message and aggregation quantizers are signed; false
   * after a ReLU or for non-negative features.
   */
  public boolean isSignedInput() { return signedInput; }
  public void setSignedInput(boolean signedInput) { this.signedInput = signedInput; }
  /** Seed of DQ's protective mask; layers with the same seed share the mask of a step. */
  public long getMaskSeed() { return maskSeed; }
  public void setMaskSeed(long maskSeed) { this.maskSeed = maskSeed; }

  @Override
  public GinVertex clone() {
    GinVertex c = new GinVertex(nIn, hidden, outputRelu, updater == null ? null : updater.clone());
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
    if (!(o instanceof GinVertex)) {
      return false;
    }
    GinVertex v = (GinVertex) o;
    return nIn == v.nIn && hidden == v.hidden && outputRelu == v.outputRelu
        && Double.compare(l2, v.l2) == 0 && Objects.equals(updater, v.updater) && mode == v.mode
        && bits == v.bits && passThrough == v.passThrough && signedInput == v.signedInput
        && maskSeed == v.maskSeed;
  }

  @Override
  public int hashCode() {
    return Objects.hash(nIn, hidden, outputRelu, l2, updater, mode, bits, passThrough,
        signedInput, maskSeed);
  }

  @Override
  public long numParams(boolean backprop) {
    return GinVertexImpl.trainableParams(nIn, hidden) + GinVertexImpl.STATE_LENGTH;
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
    return new GinVertexImpl(graph, name, idx, this, paramsView, initializeParams, dataType);
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType... vertexInputs) {
    return InputType.feedForward(hidden);
  }

  @Override
  public MemoryReport getMemoryReport(InputType... inputTypes) {
    InputType in = inputTypes.length > 0 ? inputTypes[0] : InputType.feedForward(nIn);
    return new LayerMemoryReport.Builder(null, GinVertex.class, in, InputType.feedForward(hidden))
        .standardMemory(numParams(true), 0)
        .workingMemory(0, 0, 0, 0)
        .cacheMemory(0, 0)
        .build();
  }

  @Override
  public String toString() {
    return "GinVertex(" + nIn + " -> " + hidden + " -> " + hidden + (outputRelu ? ", relu" : "")
        + ", " + mode + (mode == QuantMode.FP32 ? "" : " int" + bits)
        + (passThrough ? " pass-through" : "") + ")";
  }
}
