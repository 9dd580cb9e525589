package io.dqspark.quant;

/**
 * Degree-Quant's range tracker: per training batch, the low and high percentiles of the
 * unprotected values ({@link Selection} defines them exactly); the range is the running minimum
 * of the low and running maximum of the high percentile. Robust to outliers within a batch,
 * unlike min/max, yet it never shrinks.
 *
 * <p>Sparse tensors: when more than a {@code 1 - q} share of the values is exactly zero (a
 * bag-of-words feature matrix is 98.7% zeros on Cora, more after dropout), the high percentile is
 * 0 and the range would map every value to 0 — INT4 Degree-Quant on Cora then learns nothing
 * (25.8% test accuracy seen). A tail that lands on zero while values beyond it exist is therefore
 * taken over the nonzero values of that sign alone. Zero is exactly representable in every range,
 * so dense tensors are unaffected and match the reference's {@code kthvalue}.
 *
 * <p>Percentiles come from {@link TailPercentiles}: about one pass over the batch, no sort, with
 * per-thread scratch buffers shared by all trackers of that thread (a few percent of the largest
 * tensor, or one full copy when its sampled bracket misses).
 */
public final class PercentileRangeTracker extends AbstractRangeTracker {
  /** Tail fraction used for INT8 in the reference (0.1th / 99.9th percentiles). */
  public static final double Q_INT8 = 0.001;
  /** Tail fraction used for INT4 in the reference (1st / 99th percentiles). */
  public static final double Q_INT4 = 0.01;

  private final double q;
  private final float[] tails = new float[2];

  /** @param q tail fraction in (0, 0.5) */
  public PercentileRangeTracker(double q) {
    Selection.checkQ(q);
    this.q = q;
  }

  /**
   * The reference's setting for a bit width: {@link #Q_INT8} for 8 bits, {@link #Q_INT4} below
   * (the reference defines only INT8 and INT4; narrower widths tolerate more clipping).
   */
  public static PercentileRangeTracker forBits(int bits) {
    QuantParams.checkBits(bits);
    return new PercentileRangeTracker(bits == 8 ? Q_INT8 : Q_INT4);
  }

  public double tailFraction() {
    return q;
  }

  @Override
  public void observe(float[] x, int cols, boolean[] protectedRows, boolean training) {
    Shapes.rows(x, cols, protectedRows);
    if (!training) {
      return;
    }
    if (TailPercentiles.percentiles(x, cols, protectedRows, q, tails) == TailPercentiles.EMPTY) {
      return;
    }
    double lo = tails[0];
    double hi = tails[1];
    if (hi <= 0 || lo >= 0) {
      lo = lo >= 0 ? signedTail(x, cols, protectedRows, false, lo) : lo;
      hi = hi <= 0 ? signedTail(x, cols, protectedRows, true, hi) : hi;
    }
    if (batches == 0) {
      min = lo;
      max = hi;
    } else {
      min = Math.min(min, lo);
      max = Math.max(max, hi);
    }
    batches++;
  }

  /**
   * The high percentile of the positive values ({@code positive}) or the low percentile of the
   * negative ones, or {@code fallback} when there are none.
   */
  private double signedTail(float[] x, int cols, boolean[] protectedRows, boolean positive,
      double fallback) {
    int n = collect(x, cols, protectedRows, positive, null);
    if (n == 0) {
      return fallback;
    }
    float[] values = new float[n];
    collect(x, cols, protectedRows, positive, values);
    Selection.percentiles(values, n, q, tails);
    return positive ? tails[1] : tails[0];
  }

  /**
   * The finite unprotected values of one sign, copied into {@code out} when it is not null (a
   * counting pass sizes it first); returns how many there are.
   */
  private static int collect(float[] x, int cols, boolean[] protectedRows, boolean positive,
      float[] out) {
    int n = 0;
    int rows = x.length / cols;
    for (int r = 0; r < rows; r++) {
      if (protectedRows != null && protectedRows[r]) {
        continue;
      }
      for (int i = r * cols, end = i + cols; i < end; i++) {
        float v = x[i];
        if (positive ? v > 0 && v <= Float.MAX_VALUE : v < 0 && v >= -Float.MAX_VALUE) {
          if (out != null) {
            out[n] = v;
          }
          n++;
        }
      }
    }
    return n;
  }

  /** Merges worker states: minimum of the lows, maximum of the highs, batch counts summed. */
  public static double[] merge(double[]... states) {
    long batches = 0;
    double min = Double.NaN;
    double max = Double.NaN;
    for (double[] s : states) {
      checkState(s);
      if (s[0] == 0) {
        continue;
      }
      min = batches == 0 ? s[1] : Math.min(min, s[1]);
      max = batches == 0 ? s[2] : Math.max(max, s[2]);
      batches += (long) s[0];
    }
    return new double[] {batches, min, max};
  }

  /** Drops this thread's scratch buffer (after training, to return its memory). */
  public static void releaseScratch() {
    TailPercentiles.release();
  }

  @Override
  public String toString() {
    return "PercentileRangeTracker(q=" + q + ", batches=" + batches + ", [" + min + ", " + max + "])";
  }
}
