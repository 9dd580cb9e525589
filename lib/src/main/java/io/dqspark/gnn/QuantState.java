package io.dqspark.gnn;

import io.dqspark.quant.ProtectionMask;
import io.dqspark.quant.RangeTracker;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A quantized vertex's non-trainable state, kept in its parameter vector (design §7): a step
 * counter, then {@code {batches, min, max}} for each {@link QuantPoint}.
 *
 * <p>Every forward starts from the values in the parameters ({@link #begin}); a training forward
 * advances the counter and the ranges ({@link #advance}); backward writes {@code old - new} as the
 * state's gradient ({@link #writeGradient}), which the NoOp updater passes on unchanged, so the
 * optimizer's {@code params -= update} stores the new state. A forward without a backward leaves
 * the parameters alone, and parameter averaging averages the state like any parameter.
 *
 * <p>The counter also seeds DQ's protective mask, so every layer with the same mask seed draws the
 * same mask in a step (one mask shared by all layers, as the reference's GIN does).
 */
final class QuantState {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private final QuantPoint[] points;
  private final QuantMode mode;
  private final long maskSeed;
  private final double[] before;
  private final double[] after;
  private boolean advanced;

  QuantState(QuantPoint[] points, QuantMode mode, long maskSeed) {
    this.points = points;
    this.mode = mode;
    this.maskSeed = maskSeed;
    this.before = new double[length(points.length)];
    this.after = new double[before.length];
  }

  /** State length for {@code points} quantization points. */
  static int length(int points) {
    return 1 + points * RangeTracker.STATE_LENGTH;
  }

  /** Steps trained so far, as of the last {@link #begin}. */
  long step() {
    return (long) before[0];
  }

  /** Loads the ranges from the state parameters; in FP32 only forgets the last advance. */
  void begin(INDArray stateView) {
    advanced = false;
    if (mode == QuantMode.FP32) {
      return;
    }
    double[] s = NdArrays.toDouble(stateView);
    System.arraycopy(s, 0, before, 0, before.length);
    for (int p = 0; p < points.length; p++) {
      points[p].loadState(s, 1 + p * RangeTracker.STATE_LENGTH);
    }
  }

  /**
   * DQ's protected nodes for this training step, a fresh draw keyed by the mask seed, the graph
   * key and the step; null (nothing protected) in the other modes or outside training.
   */
  boolean[] protectedNodes(INDArray maskProb, long graphKey, int n, boolean training) {
    if (!training || mode != QuantMode.DQ) {
      return null;
    }
    boolean[] out = new boolean[n];
    new ProtectionMask(maskSeed + GOLDEN * graphKey)
        .sample(NdArrays.toDouble(maskProb), 0, step(), out);
    return out;
  }

  /** Records the state after a training forward: one more step and every point's new range. */
  void advance() {
    if (mode == QuantMode.FP32) {
      return;
    }
    after[0] = before[0] + 1;
    for (int p = 0; p < points.length; p++) {
      points[p].saveState(after, 1 + p * RangeTracker.STATE_LENGTH);
    }
    advanced = true;
  }

  /** Writes {@code old - new} (zeros without an advance) into the state's gradient view. */
  void writeGradient(INDArray gradView, DataType type) {
    if (!advanced) {
      gradView.assign(0);
      return;
    }
    double[] delta = new double[before.length];
    for (int i = 0; i < delta.length; i++) {
      delta[i] = before[i] - after[i];
    }
    gradView.assign(NdArrays.fromDouble(delta, type, gradView.shape()));
  }
}
