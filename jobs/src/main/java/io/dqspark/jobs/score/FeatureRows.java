package io.dqspark.jobs.score;

import io.dqspark.util.DqInputException;
import java.util.List;

/** Float feature rows checked before quantization: the model's width, no nulls, finite values. */
final class FeatureRows {
  private FeatureRows() {}

  /**
   * Copies one node's features into {@code out} at {@code offset}; {@code what} names the node in
   * errors (for example "vertex 17" or "node 3 of the row's graph").
   */
  static void copy(List<?> features, int width, String what, float[] out, int offset) {
    if (features == null) {
      throw new DqInputException(what + " has null features");
    }
    if (features.size() != width) {
      throw new DqInputException(what + " has " + features.size() + " features; the model expects "
          + width);
    }
    for (int j = 0; j < width; j++) {
      Object x = features.get(j);
      if (x == null) {
        throw new DqInputException(what + " has a null feature at index " + j);
      }
      float f = ((Number) x).floatValue();
      if (!Float.isFinite(f)) {
        throw new DqInputException(what + " has a non-finite feature " + f + " at index " + j);
      }
      out[offset + j] = f;
    }
  }

  /**
   * Divides a row by its sum (a row summing to 0 stays 0), with the training side's arithmetic
   * (io.dqspark.gnn.GraphInputs: double sum, float quotient); repeated here because that class
   * brings ND4J, which scoring executors do not need.
   */
  static void rowNormalize(float[] row, int offset, int width) {
    double sum = 0;
    for (int j = 0; j < width; j++) {
      sum += row[offset + j];
    }
    if (sum != 0) {
      for (int j = 0; j < width; j++) {
        row[offset + j] = (float) (row[offset + j] / sum);
      }
    }
  }
}
