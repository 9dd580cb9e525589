package io.dqspark.gnn;

import io.dqspark.graph.EdgeTable;
import io.dqspark.graph.GraphDataset;
import io.dqspark.graph.GraphLevel;
import io.dqspark.graph.Split;
import io.dqspark.graph.VertexTable;
import io.dqspark.quant.ProtectionMask;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;

/**
 * Builds the network inputs for one graph: {@code header [1, 3] = (N, E, graphKey)}, {@code
 * features [N, F]}, {@code mask_prob [N, 1]} and {@code edges [E, 2]} of {@code (src, dst)} node
 * rows, in that order (the edge index last, see {@link GcnVertexImpl#doBackward}).
 *
 * <p>Why a header first: DL4J takes the batch size from input 0 and Spark's training masters split
 * and merge examples along it; a {@code [1, k]} header makes one whole graph one example, and lets
 * the layers detect merged or split graphs. Node ids are stored as numbers of the network's type,
 * so a float network handles at most 2^24 nodes per graph. {@code graphKey} decorrelates DQ's masks
 * across graphs. Edges may contain self-loops; layers drop and re-add them.
 */
public final class GraphInputs {
  public static final int HEADER = 0;
  public static final int FEATURES = 1;
  public static final int MASK_PROB = 2;
  public static final int EDGES = 3;
  public static final int COUNT = 4;
  /** Network input names, in input order. */
  public static final List<String> NAMES = List.of("header", "features", "maskProb", "edges");
  /**
   * Graph-level networks only: a fifth network input {@code nodeGraph [N, 1]}, each node's graph
   * position {@code 0..G-1} in a packed batch ({@link GraphBatch}), read by {@link PoolVertex}.
   * Node-level layers keep the four inputs above.
   */
  public static final int NODE_GRAPH = 4;
  public static final int GRAPH_LEVEL_COUNT = 5;
  /** Network input names of graph-level networks: {@link #NAMES} then {@code nodeGraph}. */
  public static final List<String> GRAPH_LEVEL_NAMES =
      List.of("header", "features", "maskProb", "edges", "nodeGraph");

  private static final int HEADER_LENGTH = 3;

  private GraphInputs() {}

  /** The four inputs of a graph whose node rows are {@code 0..N-1}. */
  public static INDArray[] of(float[][] features, int[] src, int[] dst, double[] maskProb,
      long graphKey, DataType type) {
    int n = features.length;
    if (src.length != dst.length) {
      throw new IllegalArgumentException("src has " + src.length + " entries, dst " + dst.length);
    }
    int f = n == 0 ? 0 : features[0].length;
    double[] x = new double[n * f];
    for (int i = 0; i < n; i++) {
      if (features[i].length != f) {
        throw new IllegalArgumentException("node " + i + " has " + features[i].length
            + " features, expected " + f);
      }
      for (int j = 0; j < f; j++) {
        x[i * f + j] = features[i][j];
      }
    }
    int e = src.length;
    double[] edges = new double[2 * e];
    for (int i = 0; i < e; i++) {
      if (src[i] < 0 || src[i] >= n || dst[i] < 0 || dst[i] >= n) {
        throw new IllegalArgumentException("edge " + i + " (" + src[i] + ", " + dst[i]
            + ") names a node outside [0, " + n + ")");
      }
      edges[2 * i] = src[i];
      edges[2 * i + 1] = dst[i];
    }
    double[] p = maskProb == null ? new double[n] : maskProb.clone();
    if (p.length != n) {
      throw new IllegalArgumentException("mask_prob has " + p.length + " entries for " + n + " nodes");
    }
    ProtectionMask.checkProbabilities(p);
    checkIdRange(n, type);
    return new INDArray[] {
        header(n, e, graphKey, type),
        NdArrays.fromDouble(x, type, n, f),
        NdArrays.fromDouble(p, type, n, 1),
        NdArrays.fromDouble(edges, type, e, 2)};
  }

  /**
   * The inputs of a node-level dataset (one graph). {@code maskProb} is aligned with the vertex rows
   * (null: all zero, i.e. nothing protected); {@code rowNormalize} divides each feature row by its
   * sum (rows summing to 0 stay 0), as PyG's {@code NormalizeFeatures}.
   */
  public static INDArray[] nodeLevel(GraphDataset d, double[] maskProb, boolean rowNormalize,
      DataType type) {
    if (d.level() != GraphLevel.NODE) {
      throw new IllegalArgumentException("dataset '" + d.name() + "' is graph-level");
    }
    VertexTable v = d.vertices();
    int n = v.size();
    float[][] features = v.features();
    if (rowNormalize) {
      features = new float[n][];
      for (int i = 0; i < n; i++) {
        features[i] = rowNormalized(v.features(i));
      }
    }
    EdgeTable edges = d.edges();
    int[] src = new int[edges.size()];
    int[] dst = new int[edges.size()];
    for (int i = 0; i < edges.size(); i++) {
      src[i] = row(v, edges.src(i), i, "src");
      dst[i] = row(v, edges.dst(i), i, "dst");
    }
    return of(features, src, dst, maskProb, v.size() == 0 ? 0 : v.graphId(0), type);
  }

  /** A copy of {@code row} divided by its sum (PyG's {@code NormalizeFeatures}); a zero sum stays 0. */
  public static float[] rowNormalized(float[] row) {
    double sum = 0;
    for (float value : row) {
      sum += value;
    }
    float[] out = row.clone();
    if (sum != 0) {
      for (int j = 0; j < row.length; j++) {
        out[j] = (float) (row[j] / sum);
      }
    }
    return out;
  }

  /** One-hot labels {@code [N, numClasses]}; unlabelled nodes get an all-zero row. */
  public static INDArray oneHotLabels(GraphDataset d, DataType type) {
    VertexTable v = d.vertices();
    int c = d.numClasses();
    double[] y = new double[v.size() * c];
    for (int i = 0; i < v.size(); i++) {
      if (v.hasLabel(i)) {
        y[i * c + v.label(i)] = 1;
      }
    }
    return NdArrays.fromDouble(y, type, v.size(), c);
  }

  /** Row indexes of the labelled nodes in {@code split}, ascending. */
  public static int[] rows(GraphDataset d, Split split) {
    VertexTable v = d.vertices();
    return java.util.stream.IntStream.range(0, v.size())
        .filter(i -> v.split(i) == split && v.hasLabel(i)).toArray();
  }

  /**
   * A label mask {@code [N, 1]}: 1 for the labelled nodes of {@code split}, 0 elsewhere. Keep label
   * masks binary: in DL4J 1.0.0-M2 a fractional mask makes the MCXENT score and its gradient
   * disagree (seen in {@code GcnVertexGradientTest}'s development), so per-node weights cannot
   * turn the summed loss into a mean; scale the L2 penalty instead (see {@link GcnModels}).
   */
  public static INDArray labelMask(GraphDataset d, Split split, DataType type) {
    double[] w = new double[d.vertices().size()];
    for (int r : rows(d, split)) {
      w[r] = 1;
    }
    return NdArrays.fromDouble(w, type, w.length, 1);
  }

  /** One training example: the graph's inputs, its one-hot labels and the binary label mask. */
  public static MultiDataSet example(INDArray[] inputs, INDArray labels, INDArray labelMask) {
    return new MultiDataSet(inputs, new INDArray[] {labels}, null, new INDArray[] {labelMask});
  }

  /** A header array for a graph of {@code n} nodes and {@code e} edges. */
  public static INDArray header(int n, int e, long graphKey, DataType type) {
    return NdArrays.fromDouble(new double[] {n, e, graphKey}, type, 1, HEADER_LENGTH);
  }

  /** Checks a header against the node and edge counts a layer sees. */
  static void checkHeader(INDArray header, int n, long e, String vertex) {
    if (header.rank() != 2 || header.size(0) != 1 || header.size(1) < HEADER_LENGTH) {
      throw new IllegalArgumentException("vertex '" + vertex + "': header must be [1, "
          + HEADER_LENGTH + "] (one graph per example; were examples merged or split?), got "
          + Arrays.toString(header.shape()));
    }
    double hn = header.getDouble(0);
    double he = header.getDouble(1);
    if (hn != n || he != e) {
      throw new IllegalArgumentException("vertex '" + vertex + "': header says " + (long) hn
          + " nodes and " + (long) he + " edges, inputs have " + n + " and " + e);
    }
  }

  private static void checkIdRange(int n, DataType type) {
    if (type == DataType.FLOAT && n > (1 << 24)) {
      throw new IllegalArgumentException(n + " nodes do not fit exactly in float ids; use DOUBLE");
    }
  }

  private static int row(VertexTable v, long id, int edge, String column) {
    int r = v.rowOf(id);
    if (r < 0) {
      throw new IllegalArgumentException("edge " + edge + " " + column + " = " + id
          + " is not a vertex id");
    }
    return r;
  }

  /**
   * The features and edge list of network inputs as plain row-major arrays, the form the integer
   * and FP32 engines (which do not use ND4J) take, so that they score exactly what the network saw.
   */
  public record Plain(int nodes, int width, float[] features, int[] src, int[] dst, int[] nodeGraph,
      int graphs) {
    /** {@code nodeGraph}: each node's graph in a block-diagonal batch; all 0 (one graph) for node-level inputs. */
    public static Plain of(INDArray[] inputs) {
      INDArray x = inputs[FEATURES];
      int n = (int) x.size(0);
      int w = (int) x.size(1);
      float[] features = x.castTo(DataType.FLOAT).dup('c').reshape((long) n * w).toFloatVector();
      int[] pairs = inputs[EDGES].castTo(DataType.INT).dup('c').data().asInt();
      int[] src = new int[pairs.length / 2];
      int[] dst = new int[src.length];
      for (int e = 0; e < src.length; e++) {
        src[e] = pairs[2 * e];
        dst[e] = pairs[2 * e + 1];
      }
      if (inputs.length <= NODE_GRAPH) {
        return new Plain(n, w, features, src, dst, new int[n], 1);
      }
      int[] nodeGraph = inputs[NODE_GRAPH].castTo(DataType.INT).dup('c').reshape(n).toIntVector();
      int graphs = 0;
      for (int g : nodeGraph) {
        graphs = Math.max(graphs, g + 1);
      }
      return new Plain(n, w, features, src, dst, nodeGraph, graphs);
    }
  }
}
