package io.dqspark.engine;

/**
 * The default ("fast") arithmetic's requantization (design §5.6): {@code code = rint(clamp(acc *
 * m + zp, lo, hi))} in float. It vectorises on 32-bit lanes (AVX2 has no 64-bit lane multiply,
 * which the exact {@link Requantizer} needs), and differs from the exact fixed-point result only
 * where {@code acc * M} lies within a float rounding error of a half step, or on an exact tie
 * (to even here, away from zero there). The rounding adds {@code 1.5 * 2^23}, which leaves the
 * nearest integer in the low mantissa bits: Java 17's Vector API cannot compile a float-to-int
 * conversion, and reading the bits back is free. Vector and scalar kernels apply exactly these
 * float operations in this order (Java never fuses a multiply and an add), so they agree bit for
 * bit.
 */
public record FloatRequant(float multiplier, float zeroPoint, float lo, float hi) {
  /** {@code 1.5 * 2^23}: adding it to {@code |t| < 2^22} rounds {@code t} to the nearest integer, ties to even. */
  static final float MAGIC = 12582912f;
  /** The bits of {@link #MAGIC}: subtracted from the sum's bits, they leave the integer. */
  static final int MAGIC_BITS = 0x4B400000;

  /** The fast twin of an exact requantizer: same multiplier (rounded to float), zero point and range. */
  public static FloatRequant of(Requantizer rq) {
    return new FloatRequant((float) rq.multiplier().value(), rq.zeroPoint(), rq.lo(), rq.hi());
  }

  /** The same requantization with the multiplier scaled by {@code factor} (folding a step into it). */
  public FloatRequant scaled(double factor) {
    return new FloatRequant((float) (multiplier * factor), zeroPoint, lo, hi);
  }

  /** The scalar definition every kernel reproduces. */
  public int apply(int acc) {
    return applyFloat(acc * multiplier);
  }

  /** {@code v} already multiplied: add the zero point, clamp, round to nearest (ties to even). */
  public int applyFloat(float v) {
    return roundClamped(v + zeroPoint, lo, hi);
  }

  /** {@code rint(clamp(t, lo, hi))} for bounds within {@code +-2^22}: the kernels' rounding. */
  public static int roundClamped(float t, float lo, float hi) {
    return Float.floatToRawIntBits(Math.max(lo, Math.min(hi, t)) + MAGIC) - MAGIC_BITS;
  }
}
