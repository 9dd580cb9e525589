package io.dqspark.jobs.generate;

import java.io.Serializable;

/**
 * R-MAT edge generation (Chakrabarti, Zhan, Faloutsos 2004) with Graph500's parameters by default.
 * Edge number {@code e} is a pure function of (seed, e), so any slicing of the edge range over
 * tasks yields the same graph. Ids are then scrambled by a seeded bijection on {@code scale} bits,
 * as Graph500 does, so that high-degree nodes are not all small ids.
 */
public final class Rmat implements Serializable {
  private static final long serialVersionUID = 1L;
  private final int scale;
  private final double a;
  private final double ab;
  private final double abc;
  private final long seed;
  private final long mask;

  public Rmat(int scale, double a, double b, double c, long seed) {
    if (scale < 1 || scale > 40) {
      throw new IllegalArgumentException("scale must be in 1..40, got " + scale);
    }
    if (a <= 0 || b < 0 || c < 0 || a + b + c >= 1) {
      throw new IllegalArgumentException("R-MAT needs a > 0, b, c >= 0 and a + b + c < 1");
    }
    this.scale = scale;
    this.a = a;
    this.ab = a + b;
    this.abc = a + b + c;
    this.seed = seed;
    this.mask = (1L << scale) - 1;
  }

  /** Graph500: a = 0.57, b = c = 0.19 (d = 0.05). */
  public static Rmat graph500(int scale, long seed) {
    return new Rmat(scale, 0.57, 0.19, 0.19, seed);
  }

  /** Fills {@code out[0] = src, out[1] = dst} for edge number {@code e}. */
  public void edge(long e, long[] out) {
    long state = mix(seed ^ mix(e + 0x632BE59BD9B4E019L));
    long src = 0;
    long dst = 0;
    for (int level = 0; level < scale; level++) {
      state += 0x9E3779B97F4A7C15L;
      double r = (mix(state) >>> 11) * 0x1.0p-53;
      src <<= 1;
      dst <<= 1;
      if (r >= a) {
        if (r < ab) {
          dst |= 1;
        } else if (r < abc) {
          src |= 1;
        } else {
          src |= 1;
          dst |= 1;
        }
      }
    }
    out[0] = scramble(src);
    out[1] = scramble(dst);
  }

  /** A bijection on scale-bit ids: odd multiplications and xor-shifts are each invertible mod 2^scale. */
  long scramble(long x) {
    long k = mix(seed) | 1L;
    int shift = Math.max(1, scale / 2);
    x = (x * k) & mask;
    x ^= x >>> shift;
    x = (x * (mix(k) | 1L)) & mask;
    x ^= x >>> shift;
    return x;
  }

  /** SplitMix64's finaliser: a well-mixed 64-bit hash. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
