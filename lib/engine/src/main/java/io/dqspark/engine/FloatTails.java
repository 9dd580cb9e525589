package io.dqspark.engine;

import io.dqspark.util.DqInputException;

/** The element-wise tail of a fused FP32 aggregation: its definition and argument checks. */
final class FloatTails {
  private FloatTails() {}

  static void check(CsrAdjacency adj, float[] x, int width, float selfFactor, float[] bias) {
    if (selfFactor != 0f && x.length < (long) adj.targets() * width) {
      throw new DqInputException("a self term needs a row of x per target: x holds " + x.length
          + " values, targets*width = " + (long) adj.targets() * width);
    }
    if (bias != null && bias.length < width) {
      throw new DqInputException("bias must hold width = " + width + " values, got " + bias.length);
    }
  }

  /** ReLU of {@code fma(selfFactor, x, sum) + bias}, each step only when asked for. */
  static float tail(float sum, float x, float selfFactor, float bias, boolean hasBias,
      boolean relu) {
    float o = selfFactor != 0f ? Math.fma(selfFactor, x, sum) : sum;
    o = hasBias ? o + bias : o;
    return relu && o < 0f ? 0f : o;
  }

  static void scalarRow(float[] x, float[] out, int d, int width, float selfFactor, float[] bias,
      boolean relu) {
    for (int j = 0; j < width; j++) {
      out[d + j] = tail(out[d + j], x[d + j], selfFactor, bias == null ? 0f : bias[j], bias != null,
          relu);
    }
  }
}
