package io.dqspark.engine;

import io.dqspark.util.DqInputException;

/**
 * A dense layer's int8 weights {@code W [k, n]} packed once for {@link Int8Kernels#dense}.
 *
 * <p>Stored widened to int32 and centred ({@code w - zw}), with each row padded to a multiple of
 * {@link #PAD} columns: the kernels broadcast one activation and multiply-add it against whole
 * weight rows, and centring here leaves only the activation zero point to correct, which is
 * folded with the bias into one term per column:
 * {@code sum_i (x_i - zx)(w_ij - zw) + b_j = sum_i x_i (w_ij - zw) + (b_j - zx * sum_i (w_ij - zw))}.
 * So the input zero point belongs to the packed weights (it is fixed per layer at export).
 * Results are exact while they fit in int32; {@code k <= 33025} guarantees that before the bias
 * ({@code |x - zx|, |w - zw| <= 255}).
 */
public final class Int8DenseWeights {
  /** Column padding: a multiple of every int vector length the kernels use (8 or 16 lanes). */
  public static final int PAD = 16;

  private final int k;
  private final int n;
  private final int paddedN;
  private final int inputZeroPoint;
  private final int weightZeroPoint;
  private final byte[] codes;
  private final int[] centred;
  private final int[] columnTerms;

  private Int8DenseWeights(int k, int n, int paddedN, int inputZeroPoint, int weightZeroPoint,
      byte[] codes, int[] centred, int[] columnTerms) {
    this.k = k;
    this.n = n;
    this.paddedN = paddedN;
    this.inputZeroPoint = inputZeroPoint;
    this.weightZeroPoint = weightZeroPoint;
    this.codes = codes;
    this.centred = centred;
    this.columnTerms = columnTerms;
  }

  /**
   * @param w row-major {@code [k, n]} weight codes (input-major: {@code out = x W})
   * @param bias int32 bias at scale {@code s_x * s_w}, length {@code n}; null for none
   * @param inputZeroPoint the zero point of the activations this layer will be applied to
   */
  public static Int8DenseWeights pack(byte[] w, int k, int n, int weightZeroPoint, int[] bias,
      int inputZeroPoint) {
    if (k < 1 || n < 1) {
      throw new DqInputException("dense weights need k >= 1 and n >= 1, got k=" + k + ", n=" + n);
    }
    if (w == null || w.length != (long) k * n) {
      throw new DqInputException("dense weights must hold k*n = " + (long) k * n + " codes, got "
          + (w == null ? "null" : w.length));
    }
    checkInt8("weight zero point", weightZeroPoint);
    checkInt8("input zero point", inputZeroPoint);
    if (bias != null && bias.length != n) {
      throw new DqInputException("bias must have n = " + n + " entries, got " + bias.length);
    }
    int paddedN = roundUp(n);
    int[] centred = new int[k * paddedN];
    int[] columnTerms = new int[paddedN];
    for (int j = 0; j < n; j++) {
      int columnSum = 0;
      for (int i = 0; i < k; i++) {
        int c = w[i * n + j] - weightZeroPoint;
        centred[i * paddedN + j] = c;
        columnSum += c;
      }
      columnTerms[j] = (bias == null ? 0 : bias[j]) - inputZeroPoint * columnSum;
    }
    return new Int8DenseWeights(k, n, paddedN, inputZeroPoint, weightZeroPoint, w.clone(), centred,
        columnTerms);
  }

  static int roundUp(int n) {
    return (n + PAD - 1) / PAD * PAD;
  }

  static void checkInt8(String what, int v) {
    if (v < Byte.MIN_VALUE || v > Byte.MAX_VALUE) {
      throw new DqInputException(what + " must be in [-128, 127], got " + v);
    }
  }

  /** Input width. */
  public int k() { return k; }
  /** Output width. */
  public int n() { return n; }
  public int inputZeroPoint() { return inputZeroPoint; }
  /** {@code n} rounded up to a multiple of {@link #PAD}: the row stride of {@link #centred()}. */
  int paddedN() { return paddedN; }
  /** {@code [k, paddedN]}: {@code w - zw}, zero in the padding. */
  int[] centred() { return centred; }
  int weightZeroPoint() { return weightZeroPoint; }
  /**
   * {@code [k, n]} the raw weight codes, for a native int8 x int8 product (whose weights must stay
   * int8, unlike the centred ones): {@code sum_i x_i (w_ij - zw) = sum_i x_i w_ij - zw sum_i x_i}.
   */
  byte[] codes() { return codes; }
  /** {@code [paddedN]}: {@code b_j - zx * sum_i (w_ij - zw)}, zero in the padding. */
  int[] columnTerms() { return columnTerms; }
}
