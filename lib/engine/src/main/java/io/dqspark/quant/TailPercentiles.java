package io.dqspark.quant;

import java.util.Arrays;

/**
 * Exact {@link Selection} percentiles of a masked tensor in about one pass over it, for the
 * percentile tracker. Both ranks lie in thin tails, so a small sample brackets them: values
 * beyond a threshold a little inside each tail are collected (a few percent of the data) and the
 * rank is selected among them; ties at a threshold are counted, not moved, so a tail full of
 * equal values (ReLU zeros) needs no extra pass. When the sample's bracket misses (rare, or
 * forced by tiny inputs) it falls back to selecting on a full copy, so the result is always
 * exactly the {@code kthvalue} of the unprotected finite values.
 */
final class TailPercentiles {
  static final int FAST = 0;
  static final int FALLBACK = 1;
  static final int EMPTY = 2;

  static final int SAMPLE = 1024;
  private static final int MIN_FAST_LENGTH = 8192;

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  /** Per-thread buffers, grown on demand and shared by every tracker of the thread. */
  private static final class Scratch {
    float[] sample = new float[SAMPLE];
    float[] low = new float[0];
    float[] high = new float[0];
    float[] all = new float[0];
  }

  private TailPercentiles() {}

  static void release() {
    SCRATCH.remove();
  }

  /**
   * Writes the low and high percentiles of the unprotected finite values of {@code x} to
   * {@code out}; returns {@link #EMPTY} (out untouched) when there is no such value, else the
   * path taken.
   */
  static int percentiles(float[] x, int cols, boolean[] protectedRows, double q, float[] out) {
    return percentiles(x, cols, protectedRows, q, out, SAMPLE, 16);
  }

  /** As above with the sample size and the candidate capacity ({@code x.length / capDivisor}). */
  static int percentiles(float[] x, int cols, boolean[] protectedRows, double q, float[] out,
      int sampleSize, int capDivisor) {
    Scratch s = SCRATCH.get();
    if (x.length >= MIN_FAST_LENGTH && sampleSize > 0) {
      int path = bracketed(s, x, cols, protectedRows, q, out, sampleSize, capDivisor);
      if (path != FALLBACK) {
        return path;
      }
    }
    return full(s, x, cols, protectedRows, q, out);
  }

  private static int full(Scratch s, float[] x, int cols, boolean[] protectedRows, double q,
      float[] out) {
    if (s.all.length < x.length) {
      s.all = new float[x.length];
    }
    float[] a = s.all;
    int rows = x.length / cols;
    int n = 0;
    for (int r = 0; r < rows; r++) {
      if (protectedRows != null && protectedRows[r]) {
        continue;
      }
      for (int i = r * cols, end = i + cols; i < end; i++) {
        float v = x[i];
        if (Math.abs(v) <= Float.MAX_VALUE) {
          a[n++] = v + 0f; // + 0f turns -0.0 into +0.0, so equal zeros are one value
        }
      }
    }
    if (n == 0) {
      return EMPTY;
    }
    Selection.percentiles(a, n, q, out);
    return FALLBACK;
  }

  private static int bracketed(Scratch s, float[] x, int cols, boolean[] protectedRows, double q,
      float[] out, int sampleSize, int capDivisor) {
    // 1. A sample of unprotected finite values at hashed positions (deterministic).
    if (s.sample.length < sampleSize) {
      s.sample = new float[sampleSize];
    }
    float[] sample = s.sample;
    int m = 0;
    long len = x.length;
    for (int j = 0; j < 4 * sampleSize && m < sampleSize; j++) {
      int pos = (int) (((ProtectionMask.mix(j + 0x632BE59BD9B4E019L) >>> 32) * len) >>> 32);
      float v = x[pos];
      if ((protectedRows == null || !protectedRows[pos / cols]) && Math.abs(v) <= Float.MAX_VALUE) {
        sample[m++] = v + 0f;
      }
    }
    if (m < sampleSize / 4) {
      return FALLBACK; // mostly protected: a full copy is small anyway
    }
    Arrays.sort(sample, 0, m);
    // Thresholds a safe distance inside each tail: expected q*m sample values lie beyond the
    // true percentile; go 3 standard deviations plus a constant further in.
    int inside = (int) Math.ceil(q * m + 3 * Math.sqrt(q * m) + 3);
    if (inside >= m / 2) {
      return FALLBACK;
    }
    float loT = sample[inside];
    float hiT = sample[m - 1 - inside];

    // 2. One pass: count everything, collect the values strictly beyond each threshold.
    int cap = Math.max(256, x.length / capDivisor);
    if (s.low.length < cap) {
      s.low = new float[cap];
      s.high = new float[cap];
    }
    float[] low = s.low;
    float[] high = s.high;
    // Runs of consecutive unprotected rows are scanned as one flat range.
    int[] counts = new int[5];
    int rows = x.length / cols;
    int r = 0;
    while (r < rows) {
      if (protectedRows != null && protectedRows[r]) {
        r++;
        continue;
      }
      int end = r + 1;
      while (end < rows && (protectedRows == null || !protectedRows[end])) {
        end++;
      }
      if (!scan(x, r * cols, end * cols, loT, hiT, low, high, cap, counts)) {
        return FALLBACK;
      }
      r = end;
    }
    int n = counts[0];
    int nLow = counts[1];
    int eqLow = counts[2];
    int nHigh = counts[3];
    int eqHigh = counts[4];
    if (n == 0) {
      return FALLBACK; // unreachable with a non-empty sample; full() reports EMPTY
    }

    // 3. The ranks, from the bracket or the tie count at its edge.
    int kLow = Selection.lowRank(n, q);
    int fromTop = n - Selection.highRank(n, q) + 1;
    float lo;
    float hi;
    if (nLow >= kLow) {
      lo = Selection.select(low, 0, nLow, kLow - 1);
    } else if (nLow + eqLow >= kLow) {
      lo = loT;
    } else {
      return FALLBACK;
    }
    if (nHigh >= fromTop) {
      hi = Selection.select(high, 0, nHigh, nHigh - fromTop);
    } else if (nHigh + eqHigh >= fromTop) {
      hi = hiT;
    } else {
      return FALLBACK;
    }
    out[0] = lo;
    out[1] = hi;
    return FAST;
  }

  /**
   * Counts finite values in {@code x[from, to)} ({@code counts[0]}) and ties with each threshold
   * ({@code [2]}, {@code [4]}); appends values strictly beyond them to {@code low} / {@code high}
   * (counts {@code [1]}, {@code [3]}). Returns false when a buffer would overflow. Kept small
   * and flat so that C2 compiles it well whatever the caller's profile.
   */
  private static boolean scan(float[] x, int from, int to, float loT, float hiT, float[] low,
      float[] high, int cap, int[] counts) {
    int n = counts[0];
    int nLow = counts[1];
    int eqLow = counts[2];
    int nHigh = counts[3];
    int eqHigh = counts[4];
    // Ties are counted with integer arithmetic on the bits (+ 0f merges -0.0 into +0.0), not a
    // branch: a tail made of one repeated value (ReLU zeros) would defeat branch prediction.
    final int loBits = Float.floatToRawIntBits(loT + 0f);
    final int hiBits = Float.floatToRawIntBits(hiT + 0f);
    for (int i = from; i < to; i++) {
      float v = x[i];
      int bits = Float.floatToRawIntBits(v + 0f);
      int dLow = bits ^ loBits;
      int dHigh = bits ^ hiBits;
      eqLow += 1 - ((dLow | -dLow) >>> 31);
      eqHigh += 1 - ((dHigh | -dHigh) >>> 31);
      // Finite iff the exponent is not all ones.
      n += ((bits & 0x7F800000) - 0x7F800000) >>> 31;
      if (v < loT && v >= -Float.MAX_VALUE) {
        if (nLow == cap) {
          return false;
        }
        low[nLow++] = v + 0f;
      }
      if (v > hiT && v <= Float.MAX_VALUE) {
        if (nHigh == cap) {
          return false;
        }
        high[nHigh++] = v + 0f;
      }
    }
    counts[0] = n;
    counts[1] = nLow;
    counts[2] = eqLow;
    counts[3] = nHigh;
    counts[4] = eqHigh;
    return true;
  }
}
