package io.dqspark.graph;

import java.util.Objects;

/** The graphs table of graph-level datasets: {@code graph_id, label, split}. */
public final class GraphTable {
  private final long[] graphIds;
  private final int[] labels;
  private final Split[] splits;

  public GraphTable(long[] graphIds, int[] labels, Split[] splits) {
    this.graphIds = Objects.requireNonNull(graphIds, "graphIds");
    this.labels = Objects.requireNonNull(labels, "labels");
    this.splits = Objects.requireNonNull(splits, "splits");
    if (graphIds.length != labels.length || labels.length != splits.length) {
      throw new IllegalArgumentException("graph columns differ in length: graph_id=" + graphIds.length
          + " label=" + labels.length + " split=" + splits.length);
    }
  }

  public int size() { return graphIds.length; }
  public long graphId(int row) { return graphIds[row]; }
  public int label(int row) { return labels[row]; }
  public Split split(int row) { return splits[row]; }

  public long[] graphIds() { return graphIds; }
  public int[] labels() { return labels; }
  public Split[] splits() { return splits; }
}
