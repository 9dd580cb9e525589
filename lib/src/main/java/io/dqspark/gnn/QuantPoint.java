package io.dqspark.gnn;

import io.dqspark.quant.FakeQuantizer;
import io.dqspark.quant.QuantParams;
import io.dqspark.quant.RangeTracker;
import io.dqspark.quant.SteRule;

/**
 * One fake-quantization site of a layer (an input, the weights, a message tensor, ...): its range
 * tracker, the forward fake quantization and the straight-through backward.
 *
 * <p>Tensors are row-major {@code double[]} in place, so double-precision gradient checks and
 * float training share one code path; values are rounded to float before quantizing, as a float
 * network would hold them. In {@link QuantMode#DQ} protected rows are neither observed nor
 * quantized and keep their exact values; {@link QuantMode#QAT} ignores the row mask; {@link
 * QuantMode#FP32} does nothing at all.
 *
 * <p>The tracker's state {@code {batches, min, max}} is saved in and restored from the owning
 * vertex's parameter vector ({@link #loadState}, {@link #saveState}); an unset range is saved as
 * {@code {0, 0, 0}} so the parameters stay finite.
 *
 * <p>With {@code passThrough} the point observes ranges in training but never changes a value:
 * for gradient checks, and usable as a calibration phase before quantizing.
 */
public final class QuantPoint {
  private final String name;
  private final QuantMode mode;
  private final int bits;
  private final boolean signed;
  private final boolean passThrough;
  private final RangeTracker tracker;
  private final SteRule rule;

  private float[] scratch = new float[0];
  private long[] clipped = new long[0];
  /** Elements of the last quantized tensor, -1 when the last forward changed nothing. */
  private int lastLength = -1;

  public QuantPoint(String name, QuantMode mode, int bits, boolean signed, boolean passThrough) {
    this.name = name;
    this.mode = mode;
    this.bits = QuantParams.checkBits(bits);
    this.signed = signed;
    this.passThrough = passThrough;
    this.tracker = mode.newTracker(bits);
    this.rule = mode.steRule();
  }

  public String name() { return name; }
  public boolean signed() { return signed; }

  /** Whether the point observes ranges (every mode but FP32). */
  public boolean tracks() {
    return tracker != null;
  }

  /** Whether the point changes values (tracking and not pass-through). */
  public boolean quantizes() {
    return tracker != null && !passThrough;
  }

  /** Whether a range has been observed or loaded. */
  public boolean initialised() {
    return tracker != null && tracker.initialised();
  }

  /** The quantization parameters of the current range; throws before the first range. */
  public QuantParams params() {
    if (tracker == null) {
      throw new IllegalStateException("quantization point '" + name + "' is FP32");
    }
    return tracker.params(bits, signed);
  }

  /** Restores the tracker from {@code state[offset .. offset + 3)}. */
  public void loadState(double[] state, int offset) {
    if (tracker == null) {
      return;
    }
    double batches = state[offset];
    tracker.setState(batches > 0
        ? new double[] {batches, state[offset + 1], state[offset + 2]}
        : new double[] {0, Double.NaN, Double.NaN});
  }

  /** Writes the tracker's state to {@code state[offset .. offset + 3)}, zeros while unset. */
  public void saveState(double[] state, int offset) {
    if (tracker == null || !tracker.initialised()) {
      state[offset] = 0;
      state[offset + 1] = 0;
      state[offset + 2] = 0;
      return;
    }
    double[] s = tracker.state();
    System.arraycopy(s, 0, state, offset, RangeTracker.STATE_LENGTH);
  }

  /**
   * Fake-quantizes the row-major {@code [rows, cols]} tensor {@code x} in place, first observing
   * it when {@code training}. {@code protectedRows} (may be null) only matters in DQ mode. In
   * training a point with no range yet (every row protected so far) passes values through; at
   * evaluation that is an error, since the result would silently be unquantized.
   */
  public void forward(double[] x, int cols, boolean[] protectedRows, boolean training) {
    lastLength = -1;
    if (tracker == null) {
      return;
    }
    boolean[] mask = mode == QuantMode.DQ ? protectedRows : null;
    float[] f = toScratch(x);
    if (training) {
      tracker.observe(f, cols, mask, true);
    }
    apply(x, f, cols, mask, training);
  }

  /**
   * Observes {@code values} (training only) without quantizing anything: with {@link #quantize},
   * for a tensor whose rows repeat rows of a smaller one (GIN's messages are their sources' rows),
   * so that the range sees every row as often as {@link #forward} would while the smaller tensor
   * is quantized once. {@code protectedRows} as in {@link #forward}.
   */
  public void observe(float[] values, int cols, boolean[] protectedRows) {
    if (tracker != null) {
      tracker.observe(values, cols, mode == QuantMode.DQ ? protectedRows : null, true);
    }
  }

  /** {@link #forward} without observing: the range must come from {@link #observe} or earlier steps. */
  public void quantize(double[] x, int cols, boolean[] protectedRows, boolean training) {
    lastLength = -1;
    if (tracker != null) {
      apply(x, toScratch(x), cols, mode == QuantMode.DQ ? protectedRows : null, training);
    }
  }

  /**
   * The parameters an evaluation {@link #forward} quantizes with (no row is protected at
   * evaluation), or null when this point changes no value (FP32 or pass-through): lets a layer
   * fake-quantize element by element, as {@link FakeQuantizer#fakeQuantize}, without holding the
   * whole tensor (design §7.1). Throws, as {@code forward} does, before any range is known.
   */
  public QuantParams evaluationParams() {
    if (tracker == null || passThrough) {
      return null;
    }
    return rangeForEvaluation();
  }

  /** The current range's parameters; before any range, the error an evaluation must give. */
  private QuantParams rangeForEvaluation() {
    if (!tracker.initialised()) {
      throw new IllegalStateException("quantization point '" + name
          + "' has no range: train (or calibrate) before evaluating in " + mode + " mode");
    }
    return tracker.params(bits, signed);
  }

  private float[] toScratch(double[] x) {
    int n = x.length;
    if (scratch.length != n) {
      scratch = new float[n];
    }
    float[] f = scratch;
    for (int i = 0; i < n; i++) {
      f[i] = (float) x[i];
    }
    return f;
  }

  /** Fake-quantizes {@code f} (the float copy of {@code x}) and writes unprotected rows back to {@code x}. */
  private void apply(double[] x, float[] f, int cols, boolean[] mask, boolean training) {
    int n = x.length;
    if (passThrough) {
      return;
    }
    if (training && !tracker.initialised()) {
      return;
    }
    QuantParams p = rangeForEvaluation();
    long[] clip = null;
    if (rule == SteRule.CLIP_AWARE) {
      if (clipped.length != FakeQuantizer.clipWords(n)) {
        clipped = new long[FakeQuantizer.clipWords(n)];
      }
      clip = clipped;
    }
    FakeQuantizer.forward(p, f, cols, mask, f, clip);
    int rows = n / cols;
    for (int r = 0; r < rows; r++) {
      if (mask != null && mask[r]) {
        continue; // protected: keep the exact (unrounded) value
      }
      for (int i = r * cols, end = i + cols; i < end; i++) {
        x[i] = f[i];
      }
    }
    lastLength = n;
  }

  /**
   * Straight-through gradient of the last {@link #forward}, in place: unchanged, except that DQ's
   * clip-aware rule zeroes the elements that were clipped (the double analogue of {@link
   * FakeQuantizer#backward}).
   */
  public void backward(double[] grad) {
    if (lastLength < 0 || rule == SteRule.PLAIN) {
      return;
    }
    if (grad.length != lastLength) {
      throw new IllegalArgumentException("gradient of '" + name + "' has " + grad.length
          + " elements, the forward had " + lastLength);
    }
    long[] clip = clipped;
    for (int w = 0; w < clip.length; w++) {
      long word = clip[w];
      while (word != 0) {
        grad[(w << 6) + Long.numberOfTrailingZeros(word)] = 0;
        word &= word - 1;
      }
    }
  }

  /**
   * The last {@link #forward}'s clip record over {@code length} elements, for a layer that applies
   * {@link #backward} element by element without holding the gradient tensor: element {@code i}'s
   * gradient is zeroed where {@link FakeQuantizer#isClipped}. Null when {@code backward} would
   * change nothing (plain straight-through rule, or the forward left values unchanged).
   */
  public long[] clipRecord(int length) {
    if (lastLength < 0 || rule == SteRule.PLAIN) {
      return null;
    }
    if (length != lastLength) {
      throw new IllegalArgumentException("gradient of '" + name + "' has " + length
          + " elements, the forward had " + lastLength);
    }
    return clipped;
  }

  @Override
  public String toString() {
    return "QuantPoint(" + name + ", " + mode + ", " + bits + " bits"
        + (passThrough ? ", pass-through" : "") + ", " + tracker + ")";
  }
}
