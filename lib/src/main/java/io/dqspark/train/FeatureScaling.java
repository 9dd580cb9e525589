package io.dqspark.train;

import io.dqspark.graph.GraphDataset;
import io.dqspark.graph.VertexTable;

/**
 * Divides every feature column by its largest absolute value, so each lies in [-1, 1]. TU node
 * attributes come in raw units (PROTEINS' reach 798, next to one-hot node labels of 1): summed over
 * a neighbourhood they dwarf the labels and stall training (majority-class accuracy was seen with
 * INT8 Degree-Quant). One-hot columns stay as they are; no label is looked at.
 */
public final class FeatureScaling {
  private FeatureScaling() {}

  /** A copy of {@code d} with scaled features (columns that are all 0 stay 0). */
  public static GraphDataset maxAbs(GraphDataset d) {
    return scaled(d, columnMaxAbs(d));
  }

  /**
   * The largest absolute value of each feature column. Data-parallel training computes it once over
   * the whole dataset and hands it to every worker, so each part is scaled as the whole would be.
   */
  public static double[] columnMaxAbs(GraphDataset d) {
    VertexTable v = d.vertices();
    int f = v.featureDim();
    double[] max = new double[f];
    for (float[] row : v.features()) {
      for (int k = 0; k < f; k++) {
        max[k] = Math.max(max[k], Math.abs(row[k]));
      }
    }
    return max;
  }

  /** A copy of {@code d} with each column divided by {@code max} (columns with max 0 become 0). */
  public static GraphDataset scaled(GraphDataset d, double[] max) {
    VertexTable v = d.vertices();
    int f = v.featureDim();
    if (max.length != f) {
      throw new IllegalArgumentException("scale has " + max.length + " columns, dataset '" + d.name()
          + "' has " + f);
    }
    float[][] scaled = new float[v.size()][];
    for (int i = 0; i < v.size(); i++) {
      float[] s = v.features(i).clone();
      divide(s, 0, max);
      scaled[i] = s;
    }
    VertexTable sv = new VertexTable(v.graphIds(), v.ids(), scaled, v.labels(), v.splits());
    return new GraphDataset(d.name(), d.level(), d.numClasses(), sv, d.edges(), d.graphs(), d.cleaning());
  }

  /**
   * Divides {@code row[offset, offset + max.length)} by {@code max} in place, as {@link #scaled}
   * does (columns with max 0 become 0): scorers apply a model's recorded scale with this, so integer
   * scoring sees bit for bit the features training saw.
   */
  public static void divide(float[] row, int offset, double[] max) {
    for (int k = 0; k < max.length; k++) {
      row[offset + k] = max[k] > 0 ? (float) (row[offset + k] / max[k]) : 0f;
    }
  }
}
