package io.dqspark.quant;

import io.dqspark.util.DqInputException;

/**
 * A positive real multiplier {@code M} (typically {@code s_in * s_w / s_out}) as an int32
 * {@code m0} in [2^30, 2^31) and a shift {@code n} with {@code M ~= m0 * 2^(-31-n)}, applied to
 * int32 accumulators with integer arithmetic only (gemmlowp / TFLite style). {@code n > 0} is a
 * right shift; {@code n < 0} (for {@code M >= 1}) a left shift. Supported: {@code n} in
 * [-31, 31], i.e. {@code 2^-32 <= M < 2^31}; the relative error of {@code m0} is at most 2^-31.
 *
 * <p>Two ways to apply it:
 * <ul>
 *   <li>{@link #apply}: gemmlowp's {@code RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(
 *       acc << max(-n, 0), m0), max(n, 0))} (with the left shift done in 64 bits). Two roundings: the high multiply rounds to nearest
 *       with ties toward +infinity, the shift to nearest with ties away from zero. For
 *       {@code n <= 0} only the first rounding happens; for {@code n > 0} the result is within 1
 *       of {@code acc * m0 * 2^(-31-n)} and equals its nearest integer unless that value lies
 *       within {@code 2^-(n+1)} of a half-integer (e.g. M = 0.25, acc = 5 gives 2, not 1).
 *   <li>{@link #applySingleRounding}: one 64-bit product and one rounding shift, exactly the
 *       nearest integer of {@code acc * m0 * 2^(-31-n)}, ties away from zero (TFLite's
 *       single-rounding mode, except that its ties go toward +infinity).
 * </ul>
 * Both saturate to the int32 range where the result does not fit.
 */
public final class FixedPointMultiplier {
  public static final int MIN_SHIFT = -31;
  public static final int MAX_SHIFT = 31;

  private final int multiplier;
  private final int shift;

  private FixedPointMultiplier(int multiplier, int shift) {
    this.multiplier = multiplier;
    this.shift = shift;
  }

  /** Decomposes {@code m}: {@code m = q * 2^e}, q in [0.5, 1), {@code m0 = round(q * 2^31)}, {@code n = -e}. */
  public static FixedPointMultiplier of(double m) {
    if (!(m > 0) || Double.isInfinite(m)) {
      throw new DqInputException("requantization multiplier must be positive and finite, got " + m);
    }
    int e = Math.getExponent(m) + 1; // m = q * 2^e with q in [0.5, 1) for normal m
    long m0 = Math.round(Math.scalb(m, -e) * 0x1.0p31);
    if (m0 == 1L << 31) { // q rounded up to 1
      m0 >>= 1;
      e++;
    }
    int n = -e;
    if (n < MIN_SHIFT || n > MAX_SHIFT) {
      throw new DqInputException("requantization multiplier " + m + " outside [2^-32, 2^31)");
    }
    return new FixedPointMultiplier((int) m0, n);
  }

  /** Rebuilds a stored multiplier, validating it. */
  public static FixedPointMultiplier of(int multiplier, int shift) {
    if (multiplier < (1 << 30)) {
      throw new DqInputException("fixed-point multiplier must be in [2^30, 2^31), got " + multiplier);
    }
    if (shift < MIN_SHIFT || shift > MAX_SHIFT) {
      throw new DqInputException("fixed-point shift must be in [" + MIN_SHIFT + ", " + MAX_SHIFT
          + "], got " + shift);
    }
    return new FixedPointMultiplier(multiplier, shift);
  }

  /** {@code m0}, in [2^30, 2^31). */
  public int multiplier() {
    return multiplier;
  }

  /** {@code n}: right shift if positive, left shift if negative. */
  public int shift() {
    return shift;
  }

  /** The real value represented, {@code m0 * 2^(-31-n)}. */
  public double value() {
    return Math.scalb((double) multiplier, -31 - shift);
  }

  /**
   * gemmlowp-style application (two roundings, see the class comment). For {@code n < 0} the
   * left shift is folded into the 64-bit product instead of shifting the int32 accumulator
   * first: same rounding as gemmlowp's high multiply, but a large accumulator saturates the
   * result only when the result itself does not fit.
   */
  public int apply(int acc) {
    if (shift > 0) {
      return roundingDivideByPowerOfTwo(saturatingRoundingDoublingHighMul(acc, multiplier), shift);
    }
    long p = (long) acc * multiplier; // |p| < 2^62
    int s = 31 + shift; // in [0, 31]
    if (s == 0) {
      return saturate(p);
    }
    return saturate((p + (1L << (s - 1))) >> s); // nearest, ties toward +infinity
  }

  /** Nearest integer of {@code acc * m0 * 2^(-31-n)}, ties away from zero, saturated. */
  public int applySingleRounding(int acc) {
    long p = (long) acc * multiplier; // |p| < 2^62
    int s = 31 + shift; // in [0, 62]
    if (s == 0) {
      return saturate(p);
    }
    long half = 1L << (s - 1);
    long r = p >= 0 ? (p + half) >> s : -((half - p) >> s);
    return saturate(r);
  }

  /**
   * gemmlowp's {@code SaturatingRoundingDoublingHighMul}: {@code a * b / 2^31} rounded to
   * nearest, ties toward +infinity; saturates the one overflowing case (both {@code MIN_VALUE}).
   */
  public static int saturatingRoundingDoublingHighMul(int a, int b) {
    if (a == Integer.MIN_VALUE && b == Integer.MIN_VALUE) {
      return Integer.MAX_VALUE;
    }
    long ab = (long) a * b;
    long nudge = ab >= 0 ? 1L << 30 : 1 - (1L << 30);
    return (int) ((ab + nudge) / (1L << 31)); // long division truncates toward zero, as in C
  }

  /** gemmlowp's {@code RoundingDivideByPOT}: {@code x / 2^exponent} rounded to nearest, ties away from zero. */
  public static int roundingDivideByPowerOfTwo(int x, int exponent) {
    if (exponent < 0 || exponent > 31) {
      throw new IllegalArgumentException("exponent must be in [0, 31], got " + exponent);
    }
    long mask = (1L << exponent) - 1;
    long remainder = x & mask;
    long threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    return (int) (((long) x >> exponent) + (remainder > threshold ? 1 : 0));
  }

  private static int saturate(long v) {
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FixedPointMultiplier
        && ((FixedPointMultiplier) o).multiplier == multiplier && ((FixedPointMultiplier) o).shift == shift;
  }

  @Override
  public int hashCode() {
    return multiplier * 31 + shift;
  }

  @Override
  public String toString() {
    return "FixedPointMultiplier(" + multiplier + " * 2^(-31-" + shift + ") = " + value() + ")";
  }
}
