package io.dqspark.gnn;

import io.dqspark.quant.QuantParams;
import java.util.Objects;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * The settings every quantized GNN vertex configuration has: input width, L2 penalty, updater
 * (DL4J does not hand its global updater to plain graph vertices), quantization mode and width,
 * pass-through, input signedness and the DQ mask seed; and the four-input {@link GraphInputs}
 * convention. A bean with a no-arg constructor and setters, so DL4J's JSON mapping round trips
 * subclasses; subclasses copy these settings in {@code clone()} with {@link #copySettingsTo}.
 *
 * @param <T> the concrete configuration, returned by the fluent {@link #quantization}
 */
public abstract class QuantizedGraphVertex<T extends QuantizedGraphVertex<T>> extends GraphVertex {
  private int nIn;
  private double l2;
  private IUpdater updater;
  private QuantMode mode = QuantMode.FP32;
  private int bits = 8;
  private boolean passThrough;
  private boolean signedInput = true;
  private long maskSeed;

  protected QuantizedGraphVertex() {}

  protected QuantizedGraphVertex(int nIn, IUpdater updater) {
    this.nIn = nIn;
    this.updater = updater;
  }

  /** Width of the vertex's output rows. */
  protected abstract int outputWidth();

  /** Sets the quantization mode and bit width; returns this. */
  @SuppressWarnings("unchecked")
  public T quantization(QuantMode mode, int bits) {
    setMode(mode);
    setBits(bits);
    return (T) this;
  }

  public int getNIn() { return nIn; }
  public void setNIn(int nIn) { this.nIn = nIn; }
  /** L2 penalty on the layer's weight matrices (which ones: see the subclass). */
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

  /** Copies every shared setting (the updater as a clone) into {@code c}; returns it. */
  protected <V extends QuantizedGraphVertex<V>> V copySettingsTo(V c) {
    c.setNIn(nIn);
    c.setUpdater(updater == null ? null : updater.clone());
    c.setL2(l2);
    c.setMode(mode);
    c.setBits(bits);
    c.setPassThrough(passThrough);
    c.setSignedInput(signedInput);
    c.setMaskSeed(maskSeed);
    return c;
  }

  /** Whether {@code v} has the same shared settings. */
  protected boolean sameSettings(QuantizedGraphVertex<?> v) {
    return nIn == v.nIn && Double.compare(l2, v.l2) == 0 && Objects.equals(updater, v.updater)
        && mode == v.mode && bits == v.bits && passThrough == v.passThrough
        && signedInput == v.signedInput && maskSeed == v.maskSeed;
  }

  protected int settingsHash() {
    return Objects.hash(nIn, l2, updater, mode, bits, passThrough, signedInput, maskSeed);
  }

  /** ", INT4", ", QAT int8 pass-through" ...: the quantization part of {@code toString()}. */
  protected String quantizationLabel() {
    return ", " + mode + (mode == QuantMode.FP32 ? "" : " int" + bits) + (passThrough ? " pass-through" : "");
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
  public InputType getOutputType(int layerIndex, InputType... vertexInputs) {
    return InputType.feedForward(outputWidth());
  }

  @Override
  public MemoryReport getMemoryReport(InputType... inputTypes) {
    InputType in = inputTypes.length > 0 ? inputTypes[0] : InputType.feedForward(nIn);
    return new LayerMemoryReport.Builder(null, getClass(), in, InputType.feedForward(outputWidth()))
        .standardMemory(numParams(true), 0)
        .workingMemory(0, 0, 0, 0)
        .cacheMemory(0, 0)
        .build();
  }
}
