package io.dqspark.engine;

import io.dqspark.quant.FixedPointMultiplier;
import io.dqspark.util.DqInputException;

/**
 * Maps an int32 accumulator to an int8 code: {@code clamp(round(acc * M) + zp, lo, hi)} where
 * {@code M = m0 * 2^(-31-n)} is a {@link FixedPointMultiplier} and the rounding is {@link
 * FixedPointMultiplier#applySingleRounding}'s: the exact nearest integer, ties away from zero
 * (one 64-bit product, one shift: exact, and cheap enough for vector lanes). {@code lo} is the
 * output's {@code qmin}, or its zero point when ReLU is fused (real 0 is the zero point).
 *
 * <p>The rounding is done as {@code (p + half - [p < 0]) >> s} with {@code p = acc * m0},
 * {@code s = 31 + n}, {@code half = 2^(s-1)} and an arithmetic shift: for negative {@code p}
 * this floors {@code (p + half - 1) / 2^s}, which equals {@code -floor((|p| + half) / 2^s)}, so
 * ties go away from zero without a branch. For {@code s = 0} nothing is rounded.
 */
public final class Requantizer {
  private final FixedPointMultiplier multiplier;
  private final int zeroPoint;
  private final int lo;
  private final int hi;
  private final boolean relu;
  private final int shiftBits;
  private final long half;
  private final long negativeNudge;

  private Requantizer(FixedPointMultiplier m, int zeroPoint, int lo, int hi, boolean relu) {
    this.multiplier = m;
    this.zeroPoint = zeroPoint;
    this.lo = lo;
    this.hi = hi;
    this.relu = relu;
    this.shiftBits = 31 + m.shift();
    this.half = shiftBits == 0 ? 0L : 1L << (shiftBits - 1);
    this.negativeNudge = shiftBits == 0 ? 0L : -1L;
  }

  /**
   * @param m the multiplier {@code M = s_acc / s_out}
   * @param outputZeroPoint the output's zero point, in {@code [qmin, qmax]}
   * @param qmin lowest output code, at least -128
   * @param qmax highest output code, at most 127
   * @param relu clamp at the zero point too (fused ReLU)
   */
  public static Requantizer of(FixedPointMultiplier m, int outputZeroPoint, int qmin, int qmax,
      boolean relu) {
    if (m == null) {
      throw new DqInputException("requantization multiplier must not be null");
    }
    if (qmin < Byte.MIN_VALUE || qmax > Byte.MAX_VALUE || qmin > qmax) {
      throw new DqInputException("int8 output range must lie in [-128, 127], got [" + qmin + ", "
          + qmax + "]");
    }
    if (outputZeroPoint < qmin || outputZeroPoint > qmax) {
      throw new DqInputException("output zero point " + outputZeroPoint + " outside [" + qmin + ", "
          + qmax + "]");
    }
    return new Requantizer(m, outputZeroPoint, relu ? outputZeroPoint : qmin, qmax, relu);
  }

  /** The int8 code of {@code acc}; the scalar kernels' definition of requantization. */
  public int apply(int acc) {
    long p = (long) acc * multiplier.multiplier();
    long r = (p + half + ((p >> 63) & negativeNudge)) >> shiftBits;
    return (int) Math.max(lo, Math.min(hi, r + zeroPoint));
  }

  public FixedPointMultiplier multiplier() { return multiplier; }
  public int zeroPoint() { return zeroPoint; }
  /** Lowest code produced: {@code qmin}, or the zero point with ReLU. */
  public int lo() { return lo; }
  public int hi() { return hi; }
  public boolean relu() { return relu; }

  /** {@code 31 + shift}, in [0, 62]: the total right shift after the 64-bit product. */
  int shiftBits() { return shiftBits; }
  /** {@code 2^(shiftBits-1)}, or 0 when nothing is shifted. */
  long half() { return half; }
  /** {@code -1} (all bits) when negative products must be nudged down by one before the shift, else 0. */
  long negativeNudge() { return negativeNudge; }

  @Override
  public String toString() {
    return "Requantizer(" + multiplier + ", zp=" + zeroPoint + ", [" + lo + ", " + hi + "]"
        + (relu ? ", relu" : "") + ")";
  }
}
