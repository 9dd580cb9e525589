package io.dqspark.jobs.train;

import io.dqspark.graph.CleaningCounts;
import io.dqspark.graph.EdgeTable;
import io.dqspark.graph.GraphDataset;
import io.dqspark.graph.GraphLevel;
import io.dqspark.graph.GraphTable;
import io.dqspark.graph.Split;
import io.dqspark.graph.VertexTable;
import io.dqspark.gnn.GraphInputs;
import io.dqspark.gnn.HaloSubgraph;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import scala.Tuple2;

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
  /** How many of the vertex rows are the part's own (the rest are its halo). */
  final int numOwn;
  /** Whole-graph GCN degree of every vertex row, or null (not a GCN on one big graph). */
  final int[] degree;
  /** With {@link #degree}: the stand-in of each halo row, in halo row order ({@link HaloSubgraph}). */
  final HaloSubgraph.StandIn[] haloStandIns;
  /** Graph-level: the packer {@link StepPlan} builds on first use and reuses for later steps. */
  transient io.dqspark.gnn.GraphBatch packer;
  /** One big graph: the part's training example, built on first use (only its header changes). */
  transient org.nd4j.linalg.dataset.api.MultiDataSet example;

  PartShard(int part, GraphLevel level, int numClasses, long[] vertexGraph, long[] vertexId,
      float[][] features, int[] labels, byte[] splits, double[] maskProb, long[] edgeGraph,
      long[] edgeSrc, long[] edgeDst, long[] graphIds, int[] graphLabels, int numOwn, int[] degree) {
    this(part, level, numClasses, vertexGraph, vertexId, features, labels, splits, maskProb, edgeGraph,
        edgeSrc, edgeDst, graphIds, graphLabels, numOwn, degree, null);
  }

  private PartShard(int part, GraphLevel level, int numClasses, long[] vertexGraph, long[] vertexId,
      float[][] features, int[] labels, byte[] splits, double[] maskProb, long[] edgeGraph,
      long[] edgeSrc, long[] edgeDst, long[] graphIds, int[] graphLabels, int numOwn, int[] degree,
      HaloSubgraph.StandIn[] haloStandIns) {
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
    this.numOwn = numOwn;
    this.degree = degree;
    this.haloStandIns = haloStandIns;
  }

  /** Whether the step trains on {@link HaloSubgraph}'s scoped subgraph. */
  boolean hasStandIns() {
    return haloStandIns != null;
  }

  /** The part in the local rows of {@link HaloSubgraph} (needs {@link #degree}). */
  HaloSubgraph.Part gcnPart(boolean rowNormalize) {
    Map<Long, Integer> row = new HashMap<>(vertexId.length * 2);
    for (int i = 0; i < vertexId.length; i++) {
      row.put(vertexId[i], i);
    }
    int[] src = new int[edgeSrc.length];
    int[] dst = new int[edgeDst.length];
    for (int e = 0; e < src.length; e++) {
      src[e] = row.get(edgeSrc[e]);
      dst[e] = row.get(edgeDst[e]);
    }
    float[][] x = features;
    if (rowNormalize) {
      x = new float[features.length][];
      for (int i = 0; i < x.length; i++) {
        x[i] = GraphInputs.rowNormalized(features[i]);
      }
    }
    return new HaloSubgraph.Part(numOwn, x, degree, src, dst, maskProb);
  }

  /** The stand-ins of the part's own vertices, keyed by vertex id, for the parts holding them as halo. */
  Iterator<Tuple2<Long, HaloSubgraph.StandIn>> ownStandIns(boolean rowNormalize) {
    HaloSubgraph.StandIn[] s = HaloSubgraph.standIns(gcnPart(rowNormalize));
    List<Tuple2<Long, HaloSubgraph.StandIn>> out = new ArrayList<>(s.length);
    for (int i = 0; i < s.length; i++) {
      out.add(new Tuple2<>(vertexId[i], s[i]));
    }
    return out.iterator();
  }

  /** This shard with its halo's stand-ins (any order); every halo vertex must have one. */
  PartShard withStandIns(Iterable<Tuple2<Long, HaloSubgraph.StandIn>> standIns) {
    Map<Long, HaloSubgraph.StandIn> byId = new HashMap<>();
    standIns.forEach(t -> byId.put(t._1(), t._2()));
    HaloSubgraph.StandIn[] halo = new HaloSubgraph.StandIn[vertexId.length - numOwn];
    for (int i = 0; i < halo.length; i++) {
      halo[i] = byId.get(vertexId[numOwn + i]);
      if (halo[i] == null) {
        throw new IllegalStateException("part " + part + ": halo vertex " + vertexId[numOwn + i]
            + " has no stand-in; no part owns it (is the partition output complete?)");
      }
    }
    return new PartShard(part, level, numClasses, vertexGraph, vertexId, features, labels, splits, maskProb,
        edgeGraph, edgeSrc, edgeDst, graphIds, graphLabels, numOwn, degree, halo);
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
