package io.dqspark.gnn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The edge list of one forward pass as int arrays, with one self-loop per node appended and the
 * GCN normalisation coefficient of every edge.
 *
 * <p>Self-loops present in the input are dropped first, so every node gets exactly one (PyG's
 * {@code add_remaining_self_loops} with weight 1). In-degree is counted on {@code dst} including
 * the self-loop, so it is at least 1 and {@code norm[e] = 1 / sqrt(deg[src] * deg[dst])} is always
 * finite: {@code Â = D^-1/2 (A + I) D^-1/2}.
 *
 * <p>A part's training subgraph instead gives its edges with their whole-graph coefficients and a
 * scope ({@link HaloSubgraph}); {@link #scoped} keeps the edges one layer uses, and the first
 * layer's stand-ins: rows whose aggregate is {@code weight} times their own transformed features
 * (design §7.6).
 */
final class GraphStructure {
  final int numNodes;
  /** Edge count, including the appended self-loops when there are any. */
  final int numEdges;
  final int[] src;
  final int[] dst;
  /** GCN normalisation per edge; null without appended self-loops. */
  final double[] norm;
  /** Rows whose aggregate is {@code standInWeight} times their own transformed features. */
  final int[] standIn;
  final double[] standInWeight;

  private GraphStructure(int numNodes, int[] src, int[] dst, double[] norm) {
    this(numNodes, src, dst, norm, new int[0], new double[0]);
  }

  private GraphStructure(int numNodes, int[] src, int[] dst, double[] norm, int[] standIn,
      double[] standInWeight) {
    this.numNodes = numNodes;
    this.numEdges = src.length;
    this.src = src;
    this.dst = dst;
    this.norm = norm;
    this.standIn = standIn;
    this.standInWeight = standInWeight;
  }

  /** Whether {@code edges} is the scoped form {@code [E, 4]} of {@link HaloSubgraph}. */
  static boolean isScoped(INDArray edges) {
    return edges.rank() == 2 && edges.size(1) == HaloSubgraph.EDGE_COLUMNS;
  }

  /**
   * The edges of a scoped edge list {@code [E, 4] = (src, dst, coefficient, scope)} that the first
   * layer ({@code firstLayer}) or a later one uses, with their coefficients as given (no self-loops
   * added); stand-in rows only in the first layer.
   */
  static GraphStructure scoped(INDArray edges, int numNodes, boolean firstLayer) {
    int e = Math.toIntExact(edges.size(0));
    double[] rows = e == 0 ? new double[0] : NdArrays.toDouble(edges);
    int c = HaloSubgraph.EDGE_COLUMNS;
    int messages = 0;
    int standIns = 0;
    for (int i = 0; i < e; i++) {
      int s = checkNode(rows[c * i], numNodes, i);
      int d = checkNode(rows[c * i + 1], numNodes, i);
      int scope = (int) rows[c * i + 3];
      if (scope == HaloSubgraph.STAND_IN && s != d) {
        throw new IllegalArgumentException("edge " + i + ": a stand-in must be a self-edge, got ("
            + s + ", " + d + ")");
      }
      if (scope < HaloSubgraph.ALL_LAYERS || scope > HaloSubgraph.STAND_IN || scope != rows[c * i + 3]) {
        throw new IllegalArgumentException("edge " + i + " has scope " + rows[c * i + 3]
            + ", expected 0 (all layers), 1 (first), 2 (later) or 3 (stand-in)");
      }
      if (scope == HaloSubgraph.STAND_IN) {
        standIns += firstLayer ? 1 : 0;
      } else if (usedBy(scope, firstLayer)) {
        messages++;
      }
    }
    int[] src = new int[messages];
    int[] dst = new int[messages];
    double[] norm = new double[messages];
    int[] standIn = new int[standIns];
    double[] standInWeight = new double[standIns];
    for (int i = 0, k = 0, j = 0; i < e; i++) {
      int scope = (int) rows[c * i + 3];
      if (scope == HaloSubgraph.STAND_IN) {
        if (firstLayer) {
          standIn[j] = (int) rows[c * i];
          standInWeight[j++] = rows[c * i + 2];
        }
      } else if (usedBy(scope, firstLayer)) {
        src[k] = (int) rows[c * i];
        dst[k] = (int) rows[c * i + 1];
        norm[k++] = rows[c * i + 2];
      }
    }
    return new GraphStructure(numNodes, src, dst, norm, standIn, standInWeight);
  }

  private static boolean usedBy(int scope, boolean firstLayer) {
    return scope == HaloSubgraph.ALL_LAYERS
        || (firstLayer ? scope == HaloSubgraph.FIRST_LAYER : scope == HaloSubgraph.LATER_LAYERS);
  }

  /** Reads an {@code [E, 2]} edge index of whole-number node rows in {@code [0, numNodes)}. */
  static GraphStructure of(INDArray edges, int numNodes) {
    return read(edges, numNodes, true);
  }

  /**
   * The input's edges with self-loops dropped and none added (GIN, which has its own self term);
   * {@code norm} is null.
   */
  static GraphStructure withoutSelfLoops(INDArray edges, int numNodes) {
    return read(edges, numNodes, false);
  }

  private static GraphStructure read(INDArray edges, int numNodes, boolean addSelfLoops) {
    if (edges.rank() != 2 || edges.size(1) != 2) {
      throw new IllegalArgumentException("edge index must be [E, 2] (src, dst), got "
          + java.util.Arrays.toString(edges.shape()));
    }
    int e = Math.toIntExact(edges.size(0));
    double[] pairs = e == 0 ? new double[0] : NdArrays.toDouble(edges);
    int selfLoops = 0;
    for (int i = 0; i < e; i++) {
      int s = checkNode(pairs[2 * i], numNodes, i);
      int d = checkNode(pairs[2 * i + 1], numNodes, i);
      selfLoops += s == d ? 1 : 0;
    }
    int total = e - selfLoops + (addSelfLoops ? numNodes : 0);
    int[] src = new int[total];
    int[] dst = new int[total];
    int k = 0;
    for (int i = 0; i < e; i++) {
      int s = (int) pairs[2 * i];
      int d = (int) pairs[2 * i + 1];
      if (s != d) {
        src[k] = s;
        dst[k] = d;
        k++;
      }
    }
    if (!addSelfLoops) {
      return new GraphStructure(numNodes, src, dst, null);
    }
    for (int v = 0; v < numNodes; v++, k++) {
      src[k] = v;
      dst[k] = v;
    }
    double[] deg = new double[numNodes];
    for (int i = 0; i < total; i++) {
      deg[dst[i]] += 1;
    }
    double[] norm = new double[total];
    for (int i = 0; i < total; i++) {
      norm[i] = 1.0 / Math.sqrt(deg[src[i]] * deg[dst[i]]);
    }
    return new GraphStructure(numNodes, src, dst, norm);
  }

  private static int checkNode(double id, int numNodes, int edge) {
    if (!(id >= 0 && id < numNodes) || id != Math.rint(id)) {
      throw new IllegalArgumentException("edge " + edge + " names node " + id
          + ", expected a whole number in [0, " + numNodes + ")");
    }
    return (int) id;
  }
}
