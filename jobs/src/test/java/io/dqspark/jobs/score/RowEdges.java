package io.dqspark.jobs.score;

import io.dqspark.graph.GraphDataset;

/** A dataset's edges as row indices of its vertex table: what the whole-graph engines take. */
record RowEdges(int[] src, int[] dst) {
  static RowEdges of(GraphDataset d) {
    var v = d.vertices();
    var e = d.edges();
    int[] src = new int[e.size()];
    int[] dst = new int[e.size()];
    for (int i = 0; i < e.size(); i++) {
      src[i] = v.rowOf(e.src(i));
      dst[i] = v.rowOf(e.dst(i));
    }
    return new RowEdges(src, dst);
  }
}
