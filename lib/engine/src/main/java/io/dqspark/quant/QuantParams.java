package io.dqspark.quant;

import io.dqspark.util.DqInputException;

/**
 * Per-tensor affine quantization parameters derived from a real range (design §4).
 *
 * <p>The range is first widened to contain 0 so that 0 is exactly representable (padding and
 * ReLU zeros stay exact). {@code qmin = -2^(b-1)} (signed) or {@code 0} (unsigned, used after
 * ReLU), {@code qmax = qmin + 2^b - 1}. {@code scale = (max - min) / (qmax - qmin)} is computed
 * in double, floored at {@link #SCALE_EPS} and stored as a float, because the float is what an
 * exported model holds and the fake quantizer must use the very same value. The zero point is
 * {@code clamp(qmin - rint(min / scale), qmin, qmax)}, rounding half to even as Python's
 * {@code round} does in the reference. An all-zero range gives scale 1 and zero point 0, as in
 * the reference.
 */
public final class QuantParams {
  /**
   * Floor of the scale: 2^-23 = {@code Math.ulp(1f)}, the reference's
   * {@code torch.finfo(float32).eps}; keeps {@code 1/scale} finite for near-empty ranges.
   */
  public static final float SCALE_EPS = Math.ulp(1f);

  public static final int MIN_BITS = 2;
  public static final int MAX_BITS = 8;

  private final int bits;
  private final boolean signed;
  private final int qmin;
  private final int qmax;
  private final float scale;
  private final float invScale;
  private final int zeroPoint;
  private final double rangeMin;
  private final double rangeMax;

  private QuantParams(int bits, boolean signed, float scale, int zeroPoint, double lo, double hi) {
    this.bits = bits;
    this.signed = signed;
    this.qmin = qmin(bits, signed);
    this.qmax = qmax(bits, signed);
    this.scale = scale;
    this.invScale = (float) (1.0 / scale);
    this.zeroPoint = zeroPoint;
    this.rangeMin = lo;
    this.rangeMax = hi;
  }

  /** Parameters covering {@code [min, max]} (widened to contain 0). */
  public static QuantParams fromRange(int bits, boolean signed, double min, double max) {
    checkBits(bits);
    if (!Double.isFinite(min) || !Double.isFinite(max) || min > max) {
      throw new IllegalArgumentException("quantization range must be finite with min <= max, got ["
          + min + ", " + max + "]");
    }
    double lo = Math.min(0.0, min);
    double hi = Math.max(0.0, max);
    int qmin = qmin(bits, signed);
    int qmax = qmax(bits, signed);
    if (lo == hi) {
      return new QuantParams(bits, signed, 1f, 0, lo, hi);
    }
    float scale = (float) Math.max((hi - lo) / (qmax - qmin), SCALE_EPS);
    double zp = qmin - Math.rint(lo / scale);
    int zeroPoint = (int) Math.max(qmin, Math.min(qmax, zp));
    return new QuantParams(bits, signed, scale, zeroPoint, lo, hi);
  }

  /**
   * Parameters read back from a saved model; validates rather than trusts them.
   */
  public static QuantParams of(int bits, boolean signed, float scale, int zeroPoint) {
    checkBits(bits);
    if (!(scale >= SCALE_EPS) || Float.isInfinite(scale)) {
      throw new DqInputException("scale must be finite and >= " + SCALE_EPS + ", got " + scale);
    }
    if (zeroPoint < qmin(bits, signed) || zeroPoint > qmax(bits, signed)) {
      throw new DqInputException("zero point " + zeroPoint + " outside [" + qmin(bits, signed)
          + ", " + qmax(bits, signed) + "]");
    }
    double lo = ((double) qmin(bits, signed) - zeroPoint) * scale;
    double hi = ((double) qmax(bits, signed) - zeroPoint) * scale;
    return new QuantParams(bits, signed, scale, zeroPoint, lo, hi);
  }

  /** Throws a {@link DqInputException} naming the parameter unless {@code 2 <= bits <= 8}. */
  public static int checkBits(int bits) {
    if (bits < MIN_BITS || bits > MAX_BITS) {
      throw new DqInputException("bits must be in [" + MIN_BITS + ", " + MAX_BITS + "], got " + bits);
    }
    return bits;
  }

  public static int qmin(int bits, boolean signed) {
    return signed ? -(1 << (bits - 1)) : 0;
  }

  public static int qmax(int bits, boolean signed) {
    return qmin(bits, signed) + (1 << bits) - 1;
  }

  public int bits() { return bits; }
  public boolean signed() { return signed; }
  public int qmin() { return qmin; }
  public int qmax() { return qmax; }
  public float scale() { return scale; }
  /** {@code (float) (1.0 / scale)}: the fake quantizer multiplies by it, as the reference does. */
  public float invScale() { return invScale; }
  public int zeroPoint() { return zeroPoint; }
  /** Lower end of the widened input range (for {@link #of}: of the representable range); <= 0. */
  public double rangeMin() { return rangeMin; }
  /** Upper end of the widened input range (for {@link #of}: of the representable range); >= 0. */
  public double rangeMax() { return rangeMax; }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof QuantParams)) {
      return false;
    }
    QuantParams p = (QuantParams) o;
    return bits == p.bits && signed == p.signed && zeroPoint == p.zeroPoint
        && Float.floatToIntBits(scale) == Float.floatToIntBits(p.scale);
  }

  @Override
  public int hashCode() {
    return ((bits * 31 + (signed ? 1 : 0)) * 31 + zeroPoint) * 31 + Float.floatToIntBits(scale);
  }

  @Override
  public String toString() {
    return (signed ? "int" : "uint") + bits + "(scale=" + scale + ", zp=" + zeroPoint + ")";
  }
}
