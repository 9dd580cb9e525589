package io.dqspark.jobs.score;

import io.dqspark.graph.GraphDataset;
import io.dqspark.model.GinGraph;
import io.dqspark.model.GinModel;
import io.dqspark.model.IntegerGin;

/** A whole graph-level dataset as one block-diagonal batch for {@link IntegerGin}: the scoring tests' reference. */
final class GraphBatches {
  private GraphBatches() {}

  /** The batched integer run over every graph of {@code d}, graph {@code g} at index g (ids 0..G-1). */
  static IntegerGin.Result run(GinModel model, GraphDataset d) {
    var v = d.vertices();
    int n = v.size();
    int width = d.featureDim();
    float[] flat = new float[n * width];
    int[] nodeGraph = new int[n];
    for (int r = 0; r < n; r++) {
      nodeGraph[r] = Math.toIntExact(v.graphId(r));
      System.arraycopy(v.features(r), 0, flat, r * width, width);
    }
    RowEdges e = RowEdges.of(d);
    return new IntegerGin(model).run(flat, GinGraph.of(n, e.src(), e.dst(), nodeGraph, d.graphs().size()));
  }
}
