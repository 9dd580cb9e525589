package io.dqspark.model;

import io.dqspark.util.DqInputException;

/** Checks of the float node features a GIN scorer receives, with errors naming the row. */
final class GinFeatures {
  private GinFeatures() {}

  /** {@code features} must be {@code [nodes, width]} row-major and finite. */
  static void check(float[] features, int nodes, int width) {
    if (features == null || features.length != (long) nodes * width) {
      throw new DqInputException("features must be [" + nodes + " nodes, " + width
          + " (the model's input width)] = " + (long) nodes * width + " values, got "
          + (features == null ? "null" : features.length
              + (nodes > 0 && features.length % nodes == 0 ? " (width " + features.length / nodes + ")" : "")));
    }
    for (int i = 0; i < features.length; i++) {
      if (!Float.isFinite(features[i])) {
        throw new DqInputException("feature " + (i % width) + " of node " + (i / width) + " is "
            + features[i] + ": features must be finite");
      }
    }
  }
}
