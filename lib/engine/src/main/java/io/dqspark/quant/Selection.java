package io.dqspark.quant;

import io.dqspark.util.DqInputException;

/**
 * Order statistics in expected O(n) time, so that Degree-Quant's per-batch percentiles do not
 * cost a sort (the reference sorts and trains 5.7-10x slower than plain QAT).
 *
 * <p>Percentile definition (the reference's {@code torch.kthvalue} rule, no interpolation): for
 * {@code n} values and tail fraction {@code q} (0.001 for INT8, 0.01 for INT4), the low
 * percentile is the {@code kLow}-th smallest value and the high one the {@code kHigh}-th
 * smallest, both 1-based, with {@code kLow = clamp(floor(n * q), 1, n)} and {@code kHigh =
 * clamp(floor(n * (1 - q)), 1, n)} evaluated in double. Each is an element of the data.
 *
 * <p>The selection is Floyd and Rivest's SELECT: it narrows to a sample-chosen window before
 * partitioning, so a tail rank costs about {@code n + min(k, n - k)} comparisons. Inputs must not
 * contain NaN; +0.0 and -0.0 compare equal, so either may be returned for a zero.
 */
public final class Selection {
  private static final int SAMPLE_CUTOFF = 600;

  private Selection() {}

  /** 1-based rank of the low percentile, {@code clamp(floor(n * q), 1, n)}. */
  public static int lowRank(int n, double q) {
    checkQ(q);
    return clampRank((long) (n * q), n);
  }

  /** 1-based rank of the high percentile, {@code clamp(floor(n * (1 - q)), 1, n)}. */
  public static int highRank(int n, double q) {
    checkQ(q);
    return clampRank((long) (n * (1.0 - q)), n);
  }

  /**
   * The low and high percentiles of {@code a[0, n)} into {@code out[0]} and {@code out[1]},
   * reordering that prefix of {@code a} (pass a scratch copy).
   */
  public static void percentiles(float[] a, int n, double q, float[] out) {
    if (n <= 0 || n > a.length) {
      throw new IllegalArgumentException("need 1.." + a.length + " values, got n = " + n);
    }
    int lo = lowRank(n, q) - 1;
    int hi = highRank(n, q) - 1;
    select(a, 0, n, lo);
    out[0] = a[lo];
    // After the first selection a[lo+1, n) >= a[lo], so the high rank lies in [lo, n).
    select(a, lo, n, hi);
    out[1] = a[hi];
  }

  /**
   * Reorders {@code a[from, to)} so that {@code a[k]} holds the value a full sort would put
   * there, with no larger value before it and no smaller value after it; returns {@code a[k]}.
   */
  public static float select(float[] a, int from, int to, int k) {
    if (from < 0 || to > a.length || k < from || k >= to) {
      throw new IllegalArgumentException("k = " + k + " outside [" + from + ", " + to + ")");
    }
    floydRivest(a, from, to - 1, k);
    return a[k];
  }

  /** SELECT on the inclusive range {@code [left, right]}. */
  private static void floydRivest(float[] a, int left, int right, int k) {
    while (right > left) {
      if (right - left > SAMPLE_CUTOFF) {
        // Recurse on a sample window expected to contain the k-th value, so that the partition
        // below uses an almost exact pivot.
        double n = right - left + 1;
        double i = k - left + 1;
        double z = Math.log(n);
        double s = 0.5 * Math.exp(2 * z / 3);
        double sd = 0.5 * Math.sqrt(z * s * (n - s) / n) * (i < n / 2 ? -1 : 1);
        int newLeft = (int) Math.max(left, Math.floor(k - i * s / n + sd));
        int newRight = (int) Math.min(right, Math.floor(k + (n - i) * s / n + sd));
        floydRivest(a, newLeft, newRight, k);
      }
      float t = a[k];
      int i = left;
      int j = right;
      swap(a, left, k);
      if (a[right] > t) {
        swap(a, right, left);
      }
      while (i < j) {
        swap(a, i, j);
        i++;
        j--;
        while (a[i] < t) {
          i++;
        }
        while (a[j] > t) {
          j--;
        }
      }
      if (a[left] == t) {
        swap(a, left, j);
      } else {
        j++;
        swap(a, j, right);
      }
      if (j <= k) {
        left = j + 1;
      }
      if (k <= j) {
        right = j - 1;
      }
    }
  }

  private static void swap(float[] a, int i, int j) {
    float t = a[i];
    a[i] = a[j];
    a[j] = t;
  }

  private static int clampRank(long k, int n) {
    return (int) Math.max(1, Math.min(n, k));
  }

  static void checkQ(double q) {
    if (!(q > 0 && q < 0.5)) {
      throw new DqInputException("percentile tail fraction must be in (0, 0.5), got " + q);
    }
  }
}
