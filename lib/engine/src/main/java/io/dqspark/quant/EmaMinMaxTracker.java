package io.dqspark.quant;

import io.dqspark.util.DqInputException;

/**
 * The plain-QAT baseline's range tracker: an exponential moving average of each training batch's
 * true min and max of the unprotected values, {@code r <- r + momentum * (batch - r)}, the
 * first batch initialising {@code r}.
 */
public final class EmaMinMaxTracker extends AbstractRangeTracker {
  /** The reference's momentum. */
  public static final double DEFAULT_MOMENTUM = 0.01;

  private final double momentum;

  public EmaMinMaxTracker() {
    this(DEFAULT_MOMENTUM);
  }

  /** @param momentum weight of the new batch, in (0, 1] */
  public EmaMinMaxTracker(double momentum) {
    if (!(momentum > 0 && momentum <= 1)) {
      throw new DqInputException("momentum must be in (0, 1], got " + momentum);
    }
    this.momentum = momentum;
  }

  public double momentum() {
    return momentum;
  }

  @Override
  public void observe(float[] x, int cols, boolean[] protectedRows, boolean training) {
    int rows = Shapes.rows(x, cols, protectedRows);
    if (!training) {
      return;
    }
    float lo = Float.POSITIVE_INFINITY;
    float hi = Float.NEGATIVE_INFINITY;
    for (int r = 0; r < rows; r++) {
      if (protectedRows != null && protectedRows[r]) {
        continue;
      }
      for (int i = r * cols, end = i + cols; i < end; i++) {
        float v = x[i];
        if (Math.abs(v) <= Float.MAX_VALUE) {
          lo = v < lo ? v : lo;
          hi = v > hi ? v : hi;
        }
      }
    }
    if (lo > hi) {
      return; // no finite unprotected value
    }
    if (batches == 0) {
      min = lo;
      max = hi;
    } else {
      min += momentum * (lo - min);
      max += momentum * (hi - max);
    }
    batches++;
  }

  /**
   * Merges worker states by averaging the ranges of the workers that have seen a batch (as
   * parameter averaging does with weights); batch counts are summed.
   */
  public static double[] merge(double[]... states) {
    long batches = 0;
    int workers = 0;
    double min = 0;
    double max = 0;
    for (double[] s : states) {
      checkState(s);
      if (s[0] == 0) {
        continue;
      }
      min += s[1];
      max += s[2];
      workers++;
      batches += (long) s[0];
    }
    return workers == 0
        ? new double[] {0, Double.NaN, Double.NaN}
        : new double[] {batches, min / workers, max / workers};
  }

  @Override
  public String toString() {
    return "EmaMinMaxTracker(momentum=" + momentum + ", batches=" + batches + ", [" + min + ", " + max + "])";
  }
}
