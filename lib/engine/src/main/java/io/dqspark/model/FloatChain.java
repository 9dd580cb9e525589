package io.dqspark.model;

import io.dqspark.util.DqInputException;
import java.util.List;

/** The checks every FP32 engine makes: its layers chain, and the features fit the first one. */
final class FloatChain {
  private FloatChain() {}

  /** A layer's input and output widths. */
  interface Shape {
    int nIn();

    int nOut();
  }

  /** An immutable copy of {@code layers}, each one's input as wide as the previous output. */
  static <L extends Shape> List<L> of(List<L> layers, String architecture) {
    if (layers == null || layers.isEmpty()) {
      throw new DqInputException("a " + architecture + " needs at least one layer");
    }
    for (int i = 1; i < layers.size(); i++) {
      if (layers.get(i).nIn() != layers.get(i - 1).nOut()) {
        throw new DqInputException("layer " + i + " has nIn " + layers.get(i).nIn()
            + " but layer " + (i - 1) + " has nOut " + layers.get(i - 1).nOut());
      }
    }
    return List.copyOf(layers);
  }

  /** The first {@code rows} rows of a row-major table {@code width} wide (the table itself when it has no more). */
  static float[] firstRows(float[] table, int rows, int width) {
    int n = Math.multiplyExact(rows, width);
    if (table == null || table.length < n) {
      throw new DqInputException("logits must be at least [" + rows + ", " + width + "] = " + n
          + " values, got " + (table == null ? "null" : table.length));
    }
    return table.length == n ? table : java.util.Arrays.copyOf(table, n);
  }

  static void checkFeatures(float[] features, int nodes, int width) {
    if (features == null || features.length != (long) nodes * width) {
      throw new DqInputException("features must be [" + nodes + ", " + width + "] = "
          + (long) nodes * width + " values, got " + (features == null ? "null" : features.length));
    }
  }
}
