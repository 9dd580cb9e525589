package io.dqspark.graph;

import java.util.HashMap;
import java.util.Map;
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
  /** Vertex id to row, built on first use; null entries mean ids equal rows. */
  private volatile RowIndex rowIndex;

  /** Ids usually equal rows (the loaders number vertices 0..n-1); a map only when they do not. */
  private static final class RowIndex {
    final Map<Long, Integer> rows;

    RowIndex(long[] ids) {
      boolean identity = true;
      for (int i = 0; i < ids.length && identity; i++) {
        identity = ids[i] == i;
      }
      if (identity) {
        rows = null;
        return;
      }
      rows = new HashMap<>(ids.length * 2);
      for (int i = 0; i < ids.length; i++) {
        rows.put(ids[i], i);
      }
    }
  }

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

  /** The row of the vertex with {@code id}, or -1 when there is none. */
  public int rowOf(long id) {
    RowIndex index = rowIndex;
    if (index == null) {
      index = new RowIndex(ids);
      rowIndex = index;
    }
    if (index.rows == null) {
      return id >= 0 && id < ids.length ? (int) id : -1;
    }
    Integer row = index.rows.get(id);
    return row == null ? -1 : row;
  }
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
