package io.dqspark.gnn;

import io.dqspark.quant.ProtectionMask;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The training subgraph of one part of a big graph on which a two-layer GCN computes, for the
 * part's own nodes, what it computes on the whole graph (design §7.6).
 *
 * <p>A part holds its own nodes, the edges into them, and its halo (their in-neighbours owned by
 * other parts). Two things would otherwise differ from the whole graph: a halo node's degree (it
 * has no in-edges in the part) and its first-layer output (its neighbourhood is not in the part).
 * So the edges carry their whole-graph coefficients {@code 1 / sqrt(deg[src] deg[dst])}, and every
 * halo node appears twice: as a <em>raw</em> row (its features) whose messages feed the first
 * layer, and as a <em>stand-in</em> row whose features are its neighbourhood mean
 * {@code (Â X)[v] / s[v]} with {@code s[v] = sum over u of Â[v, u]}, computed by the part that owns
 * it ({@link #standIns}). In the first layer a stand-in's aggregate is {@code s[v]} times its own
 * transformed features, which is {@code (Â X W)[v]}; its output then feeds the second layer's
 * messages. For FP32 and two layers the own nodes' outputs equal the whole graph's up to rounding
 * ({@code HaloSubgraphTest}); with quantizers the stand-in's aggregate skips the message
 * quantizer. Deeper networks would see a stand-in's later-layer outputs from itself only.
 *
 * <p>Edges are the network's {@code edges} input in the scoped form {@code [E, 4] = (src, dst,
 * coefficient, scope)}; the GCN layer adds no self-loops to it.
 */
public final class HaloSubgraph {
  public static final int EDGE_COLUMNS = 4;
  /** Scope of an edge used by every layer: own to own, and the own nodes' self-loops. */
  public static final int ALL_LAYERS = 0;
  /** Scope of a raw halo row's edge: the first layer's messages. */
  public static final int FIRST_LAYER = 1;
  /** Scope of a stand-in row's edge: the later layers' messages. */
  public static final int LATER_LAYERS = 2;
  /** Scope of a stand-in's self-edge, whose coefficient is {@code s[v]}: first layer only. */
  public static final int STAND_IN = 3;

  private HaloSubgraph() {}

  /**
   * A part in local rows: own rows {@code [0, own)}, then halo rows. {@code degree} is the
   * whole-graph GCN degree of every row (in-degree without self-loops, plus one); {@code src ->
   * dst} are the part's edges, every {@code dst} an own row. Features as the network takes them
   * (row-normalised where the run normalises).
   */
  public record Part(int own, float[][] features, int[] degree, int[] src, int[] dst, double[] maskProb) {
    public Part {
      int n = features.length;
      if (own < 0 || own > n || degree.length != n || maskProb.length != n || src.length != dst.length) {
        throw new IllegalArgumentException("part of " + own + " own rows: " + n + " feature rows, "
            + degree.length + " degrees, " + maskProb.length + " mask_prob, " + src.length + " src and "
            + dst.length + " dst");
      }
      int[] local = new int[own];
      for (int e = 0; e < src.length; e++) {
        if (src[e] < 0 || src[e] >= n || dst[e] < 0 || dst[e] >= own) {
          throw new IllegalArgumentException("edge " + e + " (" + src[e] + ", " + dst[e]
              + ") must run from a row in [0, " + n + ") into an own row in [0, " + own + ")");
        }
        local[dst[e]] += src[e] != dst[e] ? 1 : 0;
      }
      for (int v = 0; v < n; v++) {
        if (degree[v] < 1) {
          throw new IllegalArgumentException("row " + v + " has degree " + degree[v] + ", expected >= 1");
        }
        if (v < own && degree[v] != local[v] + 1) {
          throw new IllegalArgumentException("own row " + v + " has " + local[v]
              + " in-edges in the part but whole-graph degree " + degree[v]
              + " (expected in-edges + 1): the part must hold every edge into its own nodes");
        }
      }
    }
  }

  /** A node's neighbourhood mean {@code (Â X)[v] / s[v]} and {@code s[v]}. */
  public record StandIn(float[] features, double weight) implements java.io.Serializable {}

  /** The stand-in of each own row, for the parts that hold these nodes in their halo. */
  public static StandIn[] standIns(Part p) {
    int f = p.features().length == 0 ? 0 : p.features()[0].length;
    double[][] sum = new double[p.own()][f];
    double[] weight = new double[p.own()];
    int[] deg = p.degree();
    for (int v = 0; v < p.own(); v++) {
      add(sum[v], p.features()[v], 1.0 / deg[v]);
      weight[v] += 1.0 / deg[v];
    }
    for (int e = 0; e < p.src().length; e++) {
      int u = p.src()[e];
      int v = p.dst()[e];
      if (u != v) {
        double c = 1.0 / Math.sqrt((double) deg[u] * deg[v]);
        add(sum[v], p.features()[u], c);
        weight[v] += c;
      }
    }
    StandIn[] out = new StandIn[p.own()];
    for (int v = 0; v < p.own(); v++) {
      float[] mean = new float[f];
      for (int j = 0; j < f; j++) {
        mean[j] = (float) (sum[v][j] / weight[v]);
      }
      out[v] = new StandIn(mean, weight[v]);
    }
    return out;
  }

  private static void add(double[] acc, float[] row, double c) {
    for (int j = 0; j < acc.length; j++) {
      acc[j] += c * row[j];
    }
  }

  /**
   * The network inputs of the part ({@link GraphInputs} order): rows own, raw halo, then the
   * stand-ins of the halo rows in halo order ({@code haloStandIns[i]} for row {@code own + i}).
   */
  public static INDArray[] inputs(Part p, StandIn[] haloStandIns, long graphKey, DataType type) {
    int own = p.own();
    int n = p.features().length;
    int halo = n - own;
    if (haloStandIns.length != halo) {
      throw new IllegalArgumentException(halo + " halo rows but " + haloStandIns.length + " stand-ins");
    }
    int rows = n + halo;
    int f = n == 0 ? 0 : p.features()[0].length;
    float[] x = new float[Math.multiplyExact(rows, f)];
    double[] maskProb = new double[rows];
    for (int r = 0; r < rows; r++) {
      float[] row = r < n ? p.features()[r] : haloStandIns[r - n].features();
      if (row.length != f) {
        throw new IllegalArgumentException("row " + r + " has " + row.length + " features, expected " + f);
      }
      System.arraycopy(row, 0, x, r * f, f);
      maskProb[r] = p.maskProb()[r < n ? r : r - halo];
    }
    ProtectionMask.checkProbabilities(maskProb);
    int[] deg = p.degree();
    int selfLoops = 0;
    int haloEdges = 0;
    for (int e = 0; e < p.src().length; e++) {
      selfLoops += p.src()[e] == p.dst()[e] ? 1 : 0;
      haloEdges += p.src()[e] >= own ? 1 : 0;
    }
    int edges = p.src().length - selfLoops + haloEdges + own + halo;
    double[] index = new double[edges * EDGE_COLUMNS];
    int k = 0;
    for (int e = 0; e < p.src().length; e++) {
      int u = p.src()[e];
      int v = p.dst()[e];
      if (u == v) {
        continue;
      }
      double c = 1.0 / Math.sqrt((double) deg[u] * deg[v]);
      if (u < own) {
        k = put(index, k, u, v, c, ALL_LAYERS);
      } else {
        k = put(index, k, u, v, c, FIRST_LAYER);
        k = put(index, k, u + halo, v, c, LATER_LAYERS);
      }
    }
    for (int v = 0; v < own; v++) {
      k = put(index, k, v, v, 1.0 / deg[v], ALL_LAYERS);
    }
    for (int i = 0; i < halo; i++) {
      k = put(index, k, n + i, n + i, haloStandIns[i].weight(), STAND_IN);
    }
    return new INDArray[] {
        GraphInputs.header(rows, edges, graphKey, type),
        NdArrays.fromFloat(x, type, rows, f),
        NdArrays.fromDouble(maskProb, type, rows, 1),
        NdArrays.fromDouble(index, type, edges, EDGE_COLUMNS)};
  }

  private static int put(double[] index, int k, int src, int dst, double c, int scope) {
    int at = k * EDGE_COLUMNS;
    index[at] = src;
    index[at + 1] = dst;
    index[at + 2] = c;
    index[at + 3] = scope;
    return k + 1;
  }
}
