package io.dqspark.model;

import io.dqspark.engine.CsrAdjacency;
import io.dqspark.engine.FusedInt8Kernels;
import io.dqspark.quant.QuantParams;
import io.dqspark.util.DqInputException;

/**
 * A graph prepared once for integer GCN scoring: the training layers' edge rule (input self-loops
 * dropped, one self-loop per node added, in-degree counted on targets including it), the edges
 * grouped by target, and two adjacencies the {@link io.dqspark.engine.Int8Kernels} run on:
 * <ul>
 *   <li>{@link #edgeSources()}: one "target" per edge whose single in-edge is its source node, so
 *       that {@code aggregateRequantize} with the per-edge normalisation codes produces each
 *       quantized message {@code requant(c_e * XW[src_e])} on its own, as training quantizes
 *       every message before summing;
 *   <li>{@link #nodeMessages()}: node {@code v}'s in-edges are the messages addressed to it.
 * </ul>
 * The normalisation {@code 1/sqrt(deg(u) deg(v))} is kept in double exactly as the training side
 * computes it; it is quantized per layer (the graph's only floating point, done once per graph).
 */
public final class GcnGraph {
  private final int nodes;
  private final CsrAdjacency edgeSources;
  private final CsrAdjacency nodeMessages;
  private final double[] norm;
  private final CsrAdjacency nodeSources;
  private final float[] floatNorm;
  /** The normalisation's codes per quantization site, made once per graph (design §5.6). */
  private final java.util.Map<QuantParams, byte[]> normCodes = new java.util.concurrent.ConcurrentHashMap<>();

  private GcnGraph(int nodes, CsrAdjacency edgeSources, CsrAdjacency nodeMessages, double[] norm) {
    this.nodes = nodes;
    this.edgeSources = edgeSources;
    this.nodeMessages = nodeMessages;
    this.norm = norm;
    // same edges, same order: the rows of nodeMessages with the sources of edgeSources
    this.nodeSources = CsrAdjacency.of(nodeMessages.rowPtr(), edgeSources.colIdx(), nodes);
    this.floatNorm = new float[norm.length];
    for (int e = 0; e < norm.length; e++) {
      floatNorm[e] = (float) norm[e];
    }
  }

  /** @param src, dst the directed edges {@code src -> dst} over nodes {@code 0..nodes-1} */
  public static GcnGraph of(int nodes, int[] src, int[] dst) {
    checkEdges(nodes, src, dst);
    int[] degree = new int[nodes];
    for (int e = 0; e < src.length; e++) {
      if (src[e] != dst[e]) {
        degree[dst[e]]++;
      }
    }
    for (int v = 0; v < nodes; v++) {
      degree[v]++; // the self-loop
    }
    return withDegrees(nodes, src, dst, degree);
  }

  /**
   * A piece of a larger graph, for scoring it part by part: the edges are the in-edges of the
   * nodes whose outputs are wanted, and {@code degree[v]} is node {@code v}'s degree in the whole
   * graph as the GCN counts it (in-edges other than self-loops, plus one). The normalisation then
   * equals the whole graph's on every edge given, so those nodes' outputs are the whole graph's.
   */
  public static GcnGraph withDegrees(int nodes, int[] src, int[] dst, int[] degree) {
    checkEdges(nodes, src, dst);
    if (degree == null || degree.length != nodes) {
      throw new DqInputException("degree must hold one value per node (" + nodes + ")");
    }
    int[] local = new int[nodes];
    int kept = 0;
    for (int e = 0; e < src.length; e++) {
      if (src[e] != dst[e]) {
        local[dst[e]]++;
        kept++;
      }
    }
    for (int v = 0; v < nodes; v++) {
      if (degree[v] < local[v] + 1) {
        throw new DqInputException("node " + v + " has degree " + degree[v] + " but " + local[v]
            + " in-edges besides its self-loop");
      }
    }
    int total = Math.addExact(kept, nodes);
    int[] rowPtr = new int[nodes + 1];
    for (int v = 0; v < nodes; v++) {
      rowPtr[v + 1] = rowPtr[v] + local[v] + 1;
    }
    // edges grouped by target, the input's order inside a group, the self-loop last
    int[] next = rowPtr.clone();
    int[] sortedSrc = new int[total];
    for (int e = 0; e < src.length; e++) {
      if (src[e] != dst[e]) {
        sortedSrc[next[dst[e]]++] = src[e];
      }
    }
    for (int v = 0; v < nodes; v++) {
      sortedSrc[next[v]++] = v;
    }
    double[] norm = new double[total];
    int[] identity = new int[total];
    int[] edgePtr = new int[total + 1];
    for (int v = 0; v < nodes; v++) {
      for (int e = rowPtr[v]; e < rowPtr[v + 1]; e++) {
        norm[e] = 1.0 / Math.sqrt((double) degree[sortedSrc[e]] * degree[v]);
      }
    }
    for (int e = 0; e < total; e++) {
      identity[e] = e;
      edgePtr[e + 1] = e + 1;
    }
    return new GcnGraph(nodes, CsrAdjacency.of(edgePtr, sortedSrc, nodes),
        CsrAdjacency.of(rowPtr, identity, total), norm);
  }

  private static void checkEdges(int nodes, int[] src, int[] dst) {
    if (nodes < 0) {
      throw new DqInputException("node count must be >= 0, got " + nodes);
    }
    if (src == null || dst == null || src.length != dst.length) {
      throw new DqInputException("src and dst must be non-null and of equal length");
    }
    for (int e = 0; e < src.length; e++) {
      if (src[e] < 0 || src[e] >= nodes || dst[e] < 0 || dst[e] >= nodes) {
        throw new DqInputException("edge " + e + " (" + src[e] + " -> " + dst[e]
            + ") names a node outside [0, " + nodes + ")");
      }
    }
  }

  public int nodes() { return nodes; }
  /** Edges including the added self-loops. */
  public int edges() { return norm.length; }
  CsrAdjacency edgeSources() { return edgeSources; }
  CsrAdjacency nodeMessages() { return nodeMessages; }
  double[] norm() { return norm; }
  /** Node {@code v}'s in-edges as source nodes, in the order of {@link #nodeMessages()}. */
  CsrAdjacency nodeSources() { return nodeSources; }
  /** {@link #floatNorm()} quantized at {@code p} in the engine convention, computed once per site. */
  byte[] normCodes(QuantParams p) {
    return normCodes.computeIfAbsent(p, q -> IntegerGcn.codes(FusedInt8Kernels.selected(), q, floatNorm));
  }

  /** {@link #norm()} rounded to float, per edge of {@link #nodeSources()}: the FP32 engine's weights. */
  float[] floatNorm() { return floatNorm; }
}
