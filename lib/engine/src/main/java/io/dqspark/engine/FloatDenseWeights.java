package io.dqspark.engine;

import io.dqspark.util.DqInputException;

/**
 * FP32 twin of {@link Int8DenseWeights}: {@code W [k, n]} and bias with rows padded to a multiple
 * of {@link Int8DenseWeights#PAD} columns, so that the FP32 baseline runs the same loop shape.
 */
public final class FloatDenseWeights {
  private final int k;
  private final int n;
  private final int paddedN;
  private final float[] weights;
  private final float[] bias;

  private FloatDenseWeights(int k, int n, int paddedN, float[] weights, float[] bias) {
    this.k = k;
    this.n = n;
    this.paddedN = paddedN;
    this.weights = weights;
    this.bias = bias;
  }

  /** @param w row-major {@code [k, n]}; @param bias length {@code n}, or null for none */
  public static FloatDenseWeights pack(float[] w, int k, int n, float[] bias) {
    if (k < 1 || n < 1) {
      throw new DqInputException("dense weights need k >= 1 and n >= 1, got k=" + k + ", n=" + n);
    }
    if (w == null || w.length != (long) k * n) {
      throw new DqInputException("dense weights must hold k*n = " + (long) k * n + " values, got "
          + (w == null ? "null" : w.length));
    }
    if (bias != null && bias.length != n) {
      throw new DqInputException("bias must have n = " + n + " entries, got " + bias.length);
    }
    int paddedN = Int8DenseWeights.roundUp(n);
    float[] padded = new float[k * paddedN];
    for (int i = 0; i < k; i++) {
      System.arraycopy(w, i * n, padded, i * paddedN, n);
    }
    float[] b = new float[paddedN];
    if (bias != null) {
      System.arraycopy(bias, 0, b, 0, n);
    }
    return new FloatDenseWeights(k, n, paddedN, padded, b);
  }

  public int k() { return k; }
  public int n() { return n; }
  int paddedN() { return paddedN; }
  /** {@code [k, paddedN]}, zero in the padding. */
  float[] weights() { return weights; }
  /** {@code [paddedN]}, zero in the padding. */
  float[] bias() { return bias; }
}
