package io.dqspark.jobs.score;

import io.dqspark.train.FeatureScaling;
import io.dqspark.util.DqInputException;
import java.util.List;

/**
 * One graph given in a table row ({@code features: array<array<float>>}, {@code src}/{@code dst}:
 * arrays of node indices into {@code features}), checked and flattened for an integer engine.
 */
record RowGraph(int nodes, float[] features, int[] src, int[] dst) {

  static RowGraph of(List<?> features, List<?> src, List<?> dst, ModelRef model, String function) {
    int n = features.size();
    int width = model.featureDim();
    float[] f = new float[Math.multiplyExact(n, width)];
    double[] scale = model.featureScaleArray();
    for (int v = 0; v < n; v++) {
      Object row = features.get(v);
      FeatureRows.copy(row == null ? null : (List<?>) row, width, function + ": node " + v, f, v * width);
      if (model.rowNormalize()) {
        FeatureRows.rowNormalize(f, v * width, width);
      }
      if (scale != null) {
        FeatureScaling.divide(f, v * width, scale);
      }
    }
    if (src.size() != dst.size()) {
      throw new DqInputException(function + ": src has " + src.size() + " entries but dst has " + dst.size());
    }
    int[] s = new int[src.size()];
    int[] d = new int[dst.size()];
    for (int e = 0; e < s.length; e++) {
      s[e] = index(src.get(e), n, function, "src", e);
      d[e] = index(dst.get(e), n, function, "dst", e);
    }
    return new RowGraph(n, f, s, d);
  }

  private static int index(Object value, int nodes, String function, String column, int e) {
    if (value == null) {
      throw new DqInputException(function + ": " + column + "[" + e + "] is null");
    }
    long id = ((Number) value).longValue();
    if (id < 0 || id >= nodes) {
      throw new DqInputException(function + ": " + column + "[" + e + "] = " + id
          + " is not a node of the row's graph (valid: 0.." + (nodes - 1) + ")");
    }
    return (int) id;
  }
}
