package io.dqspark.quant;

/**
 * Degree-Quant's range tracker: per training batch, the low and high percentiles of the
 * unprotected values ({@link Selection} defines them exactly); the range is the running minimum
 * of the low and running maximum of the high percentile. Robust to outliers within a batch,
 * unlike min/max, yet it never shrinks.
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
    if (batches == 0) {
      min = lo;
      max = hi;
    } else {
      min = Math.min(min, lo);
      max = Math.max(max, hi);
    }
    batches++;
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
