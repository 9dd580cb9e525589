package io.dqspark.graph;

import java.util.Objects;

/**
 * The vertices table: one row per node, columns {@code graph_id, id, features, label, split}.
 *
 * <p>Labels use {@link #NO_LABEL} for "unknown" so that the column stays a primitive array;
 * features are dense rows of equal width (zero-width when the source has none).
 */
public final class VertexTable {
  /** Stands for a null {@code label}. */
  public static final int NO_LABEL = -1;

  private final long[] graphIds;
  private final long[] ids;
  private final float[][] features;
  private final int[] labels;
  private final Split[] splits;
  private final int featureDim;

  public VertexTable(long[] graphIds, long[] ids, float[][] features, int[] labels, Split[] splits) {
    this.graphIds = Objects.requireNonNull(graphIds, "graphIds");
    this.ids = Objects.requireNonNull(ids, "ids");
    this.features = Objects.requireNonNull(features, "features");
    this.labels = Objects.requireNonNull(labels, "labels");
    this.splits = Objects.requireNonNull(splits, "splits");
    int n = ids.length;
    if (graphIds.length != n || features.length != n || labels.length != n || splits.length != n) {
      throw new IllegalArgumentException("vertex columns differ in length: graph_id=" + graphIds.length
          + " id=" + n + " features=" + features.length + " label=" + labels.length
          + " split=" + splits.length);
    }
    this.featureDim = n == 0 ? 0 : features[0].length;
    for (int i = 0; i < n; i++) {
      if (features[i].length != featureDim) {
        throw new IllegalArgumentException("vertex " + ids[i] + " has " + features[i].length
            + " features, expected " + featureDim + " like the first vertex");
      }
    }
  }

  public int size() { return ids.length; }
  public int featureDim() { return featureDim; }
  public long graphId(int row) { return graphIds[row]; }
  public long id(int row) { return ids[row]; }
  public float[] features(int row) { return features[row]; }
  public int label(int row) { return labels[row]; }
  public boolean hasLabel(int row) { return labels[row] != NO_LABEL; }
  public Split split(int row) { return splits[row]; }

  public long[] graphIds() { return graphIds; }
  public long[] ids() { return ids; }
  public float[][] features() { return features; }
  public int[] labels() { return labels; }
  public Split[] splits() { return splits; }
}
