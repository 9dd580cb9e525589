package io.dqspark.model;

import java.util.function.IntToDoubleFunction;

/**
 * Predicted classes and probabilities from a row-major {@code [rows, classes]} logit table, shared
 * by the integer and FP32 engines so that all of them break ties the same way (the first largest,
 * as ND4J's argmax) and agreement tests compare like with like. int8/int32 codes and floats are
 * exact as doubles, so one comparison serves every engine.
 */
public final class LogitRows {
  private LogitRows() {}

  public static int[] argmax(int rows, int classes, IntToDoubleFunction logit) {
    int[] p = new int[rows];
    for (int r = 0, base = 0; r < rows; r++, base += classes) {
      int best = 0;
      double bestValue = logit.applyAsDouble(base);
      for (int c = 1; c < classes; c++) {
        double v = logit.applyAsDouble(base + c);
        if (v > bestValue) {
          best = c;
          bestValue = v;
        }
      }
      p[r] = best;
    }
    return p;
  }

  /** Rows of float logits. */
  public static int[] argmax(float[] logits, int classes) {
    return argmax(logits.length / classes, classes, i -> logits[i]);
  }

  /**
   * Softmax of one row, {@code exp((v_c - max) * scale)} normalised, in double: the one
   * floating-point step after an integer pass ({@code scale} turns integer logit units into real
   * ones; 1 for logits that are already real).
   */
  public static double[] softmax(int classes, IntToDoubleFunction logit, double scale) {
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < classes; c++) {
      max = Math.max(max, logit.applyAsDouble(c));
    }
    double[] p = new double[classes];
    double sum = 0;
    for (int c = 0; c < classes; c++) {
      p[c] = Math.exp((logit.applyAsDouble(c) - max) * scale);
      sum += p[c];
    }
    for (int c = 0; c < classes; c++) {
      p[c] /= sum;
    }
    return p;
  }
}
