package io.dqspark.jobs.train;

import io.dqspark.graph.CleaningCounts;
import io.dqspark.graph.EdgeTable;
import io.dqspark.graph.GraphDataset;
import io.dqspark.graph.GraphLevel;
import io.dqspark.graph.GraphTable;
import io.dqspark.graph.Split;
import io.dqspark.graph.VertexTable;
import java.io.Serializable;

/**
 * One part of the partition job's output as plain arrays, cached on the executor that trains it:
 * the part's own vertices (and, for one big graph, its halo: in-neighbours owned by other parts,
 * with features but never labels), the edges whose destination it owns, and for graph-level data
 * its graphs. Plain arrays because the lib's tables are not {@link Serializable}; the executor
 * turns them into a {@link GraphDataset} when it builds training examples.
 */
public final class PartShard implements Serializable {
  private static final long serialVersionUID = 1L;

  final int part;
  final GraphLevel level;
  final int numClasses;
  final long[] vertexGraph;
  final long[] vertexId;
  final float[][] features;
  final int[] labels;
  /** {@link Split} ordinals, -1 for none (halo vertices, unsplit graph-level vertices). */
  final byte[] splits;
  final double[] maskProb;
  final long[] edgeGraph;
  final long[] edgeSrc;
  final long[] edgeDst;
  /** Graph-level only: the part's graphs and their labels. */
  final long[] graphIds;
  final int[] graphLabels;
  /** Graph-level: the packer {@link StepPlan} builds on first use and reuses for later steps. */
  transient io.dqspark.gnn.GraphBatch packer;
  /** One big graph: the part's training example, built on first use (only its header changes). */
  transient org.nd4j.linalg.dataset.api.MultiDataSet example;

  PartShard(int part, GraphLevel level, int numClasses, long[] vertexGraph, long[] vertexId,
      float[][] features, int[] labels, byte[] splits, double[] maskProb, long[] edgeGraph,
      long[] edgeSrc, long[] edgeDst, long[] graphIds, int[] graphLabels) {
    this.part = part;
    this.level = level;
    this.numClasses = numClasses;
    this.vertexGraph = vertexGraph;
    this.vertexId = vertexId;
    this.features = features;
    this.labels = labels;
    this.splits = splits;
    this.maskProb = maskProb;
    this.edgeGraph = edgeGraph;
    this.edgeSrc = edgeSrc;
    this.edgeDst = edgeDst;
    this.graphIds = graphIds;
    this.graphLabels = graphLabels;
  }

  public int part() {
    return part;
  }

  public int numVertices() {
    return vertexId.length;
  }

  /** The part as a lib dataset (a local subgraph, or the part's graphs). */
  GraphDataset dataset() {
    Split[] s = new Split[splits.length];
    Split[] all = Split.values();
    for (int i = 0; i < s.length; i++) {
      s[i] = splits[i] < 0 ? null : all[splits[i]];
    }
    VertexTable v = new VertexTable(vertexGraph, vertexId, features, labels, s);
    EdgeTable e = new EdgeTable(edgeGraph, edgeSrc, edgeDst);
    GraphTable g = level == GraphLevel.GRAPH
        ? new GraphTable(graphIds, graphLabels, new Split[graphIds.length])
        : null;
    return new GraphDataset("part-" + part, level, numClasses, v, e, g, CleaningCounts.NONE);
  }
}
