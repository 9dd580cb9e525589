package io.dqspark.model;

import io.dqspark.engine.CsrAdjacency;
import io.dqspark.util.DqInputException;

/**
 * A graph (or a block-diagonal batch of graphs) prepared once for GIN scoring, by the training
 * layer's edge rule: self-loops of the input are dropped (GIN has its own self term) and repeated
 * edges count as often as they occur. Holds the in-edges of every node as a {@link CsrAdjacency}
 * (the sum aggregation) and, for graph-level scoring, every graph's node rows as another (sum or
 * mean pooling runs on the same aggregation kernel, with graphs as targets).
 */
public final class GinGraph {
  private final int nodes;
  private final CsrAdjacency inEdges;
  private final CsrAdjacency graphNodes;

  private GinGraph(int nodes, CsrAdjacency inEdges, CsrAdjacency graphNodes) {
    this.nodes = nodes;
    this.inEdges = inEdges;
    this.graphNodes = graphNodes;
  }

  /** One graph: {@code src -> dst} over nodes {@code 0..nodes-1}. */
  public static GinGraph of(int nodes, int[] src, int[] dst) {
    return of(nodes, src, dst, new int[Math.max(nodes, 0)], 1);
  }

  /**
   * A batch of {@code graphs} graphs: node {@code v} belongs to graph {@code nodeGraph[v]}; an edge
   * joining two graphs is an error, a graph without nodes pools to a zero row.
   */
  public static GinGraph of(int nodes, int[] src, int[] dst, int[] nodeGraph, int graphs) {
    if (nodes < 1) {
      throw new DqInputException("a graph needs at least one node, got " + nodes);
    }
    if (src == null || dst == null || src.length != dst.length) {
      throw new DqInputException("src and dst must be non-null and of equal length");
    }
    if (nodeGraph == null || nodeGraph.length != nodes) {
      throw new DqInputException("nodeGraph must give the graph of each of the " + nodes + " nodes, got "
          + (nodeGraph == null ? "null" : nodeGraph.length + " entries"));
    }
    if (graphs < 1) {
      throw new DqInputException("graph count must be >= 1, got " + graphs);
    }
    int[] perGraph = new int[graphs + 1];
    for (int v = 0; v < nodes; v++) {
      if (nodeGraph[v] < 0 || nodeGraph[v] >= graphs) {
        throw new DqInputException("node " + v + " belongs to graph " + nodeGraph[v] + ", outside [0, "
            + graphs + ")");
      }
      perGraph[nodeGraph[v] + 1]++;
    }
    int[] inDegree = new int[nodes + 1];
    int kept = 0;
    for (int e = 0; e < src.length; e++) {
      int u = src[e];
      int v = dst[e];
      if (u < 0 || u >= nodes || v < 0 || v >= nodes) {
        throw new DqInputException("edge " + e + " (" + u + " -> " + v + ") names a node outside [0, "
            + nodes + ")");
      }
      if (nodeGraph[u] != nodeGraph[v]) {
        throw new DqInputException("edge " + e + " (" + u + " -> " + v + ") joins graph "
            + nodeGraph[u] + " to graph " + nodeGraph[v]);
      }
      if (u != v) {
        inDegree[v + 1]++;
        kept++;
      }
    }
    for (int v = 0; v < nodes; v++) {
      inDegree[v + 1] += inDegree[v];
    }
    int[] next = java.util.Arrays.copyOf(inDegree, nodes);
    int[] sources = new int[kept];
    for (int e = 0; e < src.length; e++) {
      if (src[e] != dst[e]) {
        sources[next[dst[e]]++] = src[e];
      }
    }
    for (int g = 0; g < graphs; g++) {
      perGraph[g + 1] += perGraph[g];
    }
    int[] fill = java.util.Arrays.copyOf(perGraph, graphs);
    int[] members = new int[nodes];
    for (int v = 0; v < nodes; v++) {
      members[fill[nodeGraph[v]]++] = v;
    }
    return new GinGraph(nodes, CsrAdjacency.of(inDegree, sources, nodes),
        CsrAdjacency.of(perGraph, members, nodes));
  }

  public int nodes() { return nodes; }
  public int graphs() { return graphNodes.targets(); }
  /** Edges kept (self-loops dropped). */
  public int edges() { return inEdges.edges(); }
  /** Node count of graph {@code g}. */
  public int graphSize(int g) {
    return graphNodes.rowPtr()[g + 1] - graphNodes.rowPtr()[g];
  }

  CsrAdjacency inEdges() { return inEdges; }
  CsrAdjacency graphNodes() { return graphNodes; }
}
