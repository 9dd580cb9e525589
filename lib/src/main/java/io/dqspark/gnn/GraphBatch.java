package io.dqspark.gnn;

import io.dqspark.graph.EdgeTable;
import io.dqspark.graph.GraphDataset;
import io.dqspark.graph.GraphLevel;
import io.dqspark.graph.GraphTable;
import io.dqspark.graph.VertexTable;
import io.dqspark.util.DqInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;

/**
 * Packs graphs of a graph-level dataset into one training example: the graphs' node rows one after
 * another (block-diagonal adjacency, edge endpoints offset by each graph's first node row), so
 * that the node-level layers see one disconnected graph and DL4J sees one example (the {@code
 * [1, 3]} header, see {@link GraphInputs}). A fifth input {@code nodeGraph [N, 1]} tells {@link
 * PoolVertex} which graph, by position {@code 0..G-1} in the batch, each node row belongs to;
 * the labels are one-hot {@code [G, classes]} in the same order, with no label mask.
 *
 * <p>Graph indices are rows of the dataset's graphs table (0-based, as the published split files
 * number graphs). The dataset is indexed once here (node rows and local edge endpoints per graph),
 * so packing a batch costs only its own size. {@code maskProb} is aligned with the vertex rows
 * (Degree-Quant's per-graph probabilities, {@code DegreeStats.compute(d, rule, true)}); null
 * protects nothing.
 */
public final class GraphBatch {
  private final GraphDataset data;
  private final double[] maskProb;
  /** Graph g's vertex rows are {@code nodeRows[nodeStart[g] .. nodeStart[g + 1])}, in row order. */
  private final int[] nodeStart;
  private final int[] nodeRows;
  /** Graph g's edges, as positions within the graph, at {@code [edgeStart[g] .. edgeStart[g + 1])}. */
  private final int[] edgeStart;
  private final int[] edgeSrc;
  private final int[] edgeDst;

  private GraphBatch(GraphDataset data, double[] maskProb, int[] nodeStart, int[] nodeRows,
      int[] edgeStart, int[] edgeSrc, int[] edgeDst) {
    this.data = data;
    this.maskProb = maskProb;
    this.nodeStart = nodeStart;
    this.nodeRows = nodeRows;
    this.edgeStart = edgeStart;
    this.edgeSrc = edgeSrc;
    this.edgeDst = edgeDst;
  }

  /**
   * Indexes {@code data} for packing. Fails on a vertex of an unknown graph, an edge naming an
   * unknown vertex, and an edge joining two graphs.
   *
   * @param maskProb per vertex row, or null (nothing protected)
   */
  public static GraphBatch of(GraphDataset data, double[] maskProb) {
    Objects.requireNonNull(data, "data");
    if (data.level() != GraphLevel.GRAPH) {
      throw new IllegalArgumentException("dataset '" + data.name() + "' is node-level; GraphBatch"
          + " packs the graphs of a graph-level dataset");
    }
    VertexTable v = data.vertices();
    if (maskProb != null && maskProb.length != v.size()) {
      throw new IllegalArgumentException("maskProb has " + maskProb.length + " entries, dataset '"
          + data.name() + "' has " + v.size() + " vertex rows");
    }
    GraphTable graphs = data.graphs();
    int numGraphs = graphs.size();
    Map<Long, Integer> indexOfGraph = new HashMap<>(numGraphs * 2);
    for (int g = 0; g < numGraphs; g++) {
      if (indexOfGraph.put(graphs.graphId(g), g) != null) {
        throw new DqInputException(data.name() + ": graph_id " + graphs.graphId(g)
            + " appears twice in the graphs table (graph indices "
            + indexOfGraph.get(graphs.graphId(g)) + " and " + g + ")");
      }
    }

    // vertex rows grouped by graph (a counting sort keeps row order within a graph)
    int n = v.size();
    int[] graphOfRow = new int[n];
    int[] nodeStart = new int[numGraphs + 1];
    for (int r = 0; r < n; r++) {
      Integer g = indexOfGraph.get(v.graphId(r));
      if (g == null) {
        throw new DqInputException(data.name() + ": vertex " + v.id(r) + " (row " + r
            + ") belongs to graph_id " + v.graphId(r) + ", which the graphs table does not list");
      }
      graphOfRow[r] = g;
      nodeStart[g + 1]++;
    }
    for (int g = 0; g < numGraphs; g++) {
      nodeStart[g + 1] += nodeStart[g];
    }
    int[] nodeRows = new int[n];
    int[] localOfRow = new int[n];
    int[] fill = Arrays.copyOf(nodeStart, numGraphs);
    for (int r = 0; r < n; r++) {
      int g = graphOfRow[r];
      localOfRow[r] = fill[g] - nodeStart[g];
      nodeRows[fill[g]++] = r;
    }

    // edges grouped by graph, endpoints as positions within their graph
    EdgeTable e = data.edges();
    int m = e.size();
    int[] graphOfEdge = new int[m];
    int[] edgeStart = new int[numGraphs + 1];
    int[] srcRow = new int[m];
    int[] dstRow = new int[m];
    for (int k = 0; k < m; k++) {
      srcRow[k] = row(v, e.src(k), data.name(), k, "src");
      dstRow[k] = row(v, e.dst(k), data.name(), k, "dst");
      int g = graphOfRow[srcRow[k]];
      int gd = graphOfRow[dstRow[k]];
      if (g != gd) {
        throw new DqInputException(data.name() + ": edge " + k + " (" + e.src(k) + " -> " + e.dst(k)
            + ") joins graph index " + g + " and graph index " + gd + "; an edge must stay inside one graph");
      }
      graphOfEdge[k] = g;
      edgeStart[g + 1]++;
    }
    for (int g = 0; g < numGraphs; g++) {
      edgeStart[g + 1] += edgeStart[g];
    }
    int[] edgeSrc = new int[m];
    int[] edgeDst = new int[m];
    fill = Arrays.copyOf(edgeStart, numGraphs);
    for (int k = 0; k < m; k++) {
      int at = fill[graphOfEdge[k]]++;
      edgeSrc[at] = localOfRow[srcRow[k]];
      edgeDst[at] = localOfRow[dstRow[k]];
    }
    return new GraphBatch(data, maskProb == null ? null : maskProb.clone(), nodeStart, nodeRows,
        edgeStart, edgeSrc, edgeDst);
  }

  public GraphDataset dataset() {
    return data;
  }

  public int numGraphs() {
    return nodeStart.length - 1;
  }

  public int numNodes(int graph) {
    checkGraph(graph);
    return nodeStart[graph + 1] - nodeStart[graph];
  }

  public int numEdges(int graph) {
    checkGraph(graph);
    return edgeStart[graph + 1] - edgeStart[graph];
  }

  /** The vertex rows of {@code graph}, in row order (its node positions 0, 1, ...). */
  public int[] nodeRows(int graph) {
    checkGraph(graph);
    return Arrays.copyOfRange(nodeRows, nodeStart[graph], nodeStart[graph + 1]);
  }

  /**
   * The five network inputs of {@link GraphInputs#GRAPH_LEVEL_NAMES} for {@code graphs}, packed
   * in the given order. The header's key identifies the batch (see {@link #batchKey}).
   */
  public INDArray[] inputs(int[] graphs, DataType type) {
    checkBatch(graphs);
    int width = data.featureDim();
    int n = 0;
    int m = 0;
    for (int g : graphs) {
      int size = nodeStart[g + 1] - nodeStart[g];
      if (size == 0) {
        throw new DqInputException(data.name() + ": graph index " + g + " (graph_id "
            + data.graphs().graphId(g) + ") has no nodes; a graph-level model cannot pool it");
      }
      n += size;
      m += edgeStart[g + 1] - edgeStart[g];
    }
    VertexTable v = data.vertices();
    float[][] features = new float[n][];
    double[] p = maskProb == null ? null : new double[n];
    double[] nodeGraph = new double[n];
    int[] src = new int[m];
    int[] dst = new int[m];
    int node = 0;
    int edge = 0;
    for (int position = 0; position < graphs.length; position++) {
      int g = graphs[position];
      int offset = node;
      for (int i = nodeStart[g]; i < nodeStart[g + 1]; i++, node++) {
        int r = nodeRows[i];
        features[node] = v.features(r);
        if (features[node].length != width) {
          throw new DqInputException(data.name() + ": graph index " + g + ", vertex " + v.id(r)
              + " has " + features[node].length + " features, the dataset has " + width);
        }
        if (p != null) {
          p[node] = maskProb[r];
        }
        nodeGraph[node] = position;
      }
      for (int k = edgeStart[g]; k < edgeStart[g + 1]; k++, edge++) {
        src[edge] = offset + edgeSrc[k];
        dst[edge] = offset + edgeDst[k];
      }
    }
    INDArray[] four = GraphInputs.of(features, src, dst, p, batchKey(graphs), type);
    INDArray[] five = Arrays.copyOf(four, GraphInputs.GRAPH_LEVEL_COUNT);
    five[GraphInputs.NODE_GRAPH] = NdArrays.fromDouble(nodeGraph, type, n, 1);
    return five;
  }

  /** One-hot labels {@code [G, numClasses]} of {@code graphs}, in batch order. */
  public INDArray labels(int[] graphs, DataType type) {
    checkBatch(graphs);
    int c = data.numClasses();
    if (c < 1) {
      throw new DqInputException(data.name() + ": the dataset has no classes, cannot build labels");
    }
    GraphTable t = data.graphs();
    double[] y = new double[graphs.length * c];
    for (int position = 0; position < graphs.length; position++) {
      int g = graphs[position];
      int label = t.label(g);
      if (label < 0 || label >= c) {
        throw new DqInputException(data.name() + ": graph index " + g + " (graph_id " + t.graphId(g)
            + ") has label " + label + ", expected 0.." + (c - 1));
      }
      y[position * c + label] = 1;
    }
    return NdArrays.fromDouble(y, type, graphs.length, c);
  }

  /** One training example: the packed inputs and one-hot labels, no masks. */
  public MultiDataSet example(int[] graphs, DataType type) {
    INDArray labels = labels(graphs, type);
    return new MultiDataSet(inputs(graphs, type), new INDArray[] {labels});
  }

  /**
   * {@code graphs} shuffled with {@code random} and cut into batches of {@code batchSize} (the last
   * may be smaller). The input array is left unchanged.
   */
  public static List<int[]> miniBatches(int[] graphs, int batchSize, Random random) {
    Objects.requireNonNull(graphs, "graphs");
    Objects.requireNonNull(random, "random");
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
    }
    int[] order = graphs.clone();
    for (int i = order.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    List<int[]> batches = new ArrayList<>((order.length + batchSize - 1) / batchSize);
    for (int from = 0; from < order.length; from += batchSize) {
      batches.add(Arrays.copyOfRange(order, from, Math.min(order.length, from + batchSize)));
    }
    return batches;
  }

  /**
   * The header key of a batch: a hash of its graph indices in order, kept below 2^24 so that a
   * float header holds it exactly. It decorrelates DQ's masks across batches drawn in one step.
   */
  static long batchKey(int[] graphs) {
    long h = 1125899906842597L;
    for (int g : graphs) {
      h = 31 * h + g;
    }
    h ^= h >>> 29;
    h *= 0xBF58476D1CE4E5B9L;
    h ^= h >>> 32;
    return h & 0xFFFFFF;
  }

  private void checkBatch(int[] graphs) {
    Objects.requireNonNull(graphs, "graphs");
    if (graphs.length == 0) {
      throw new IllegalArgumentException("a batch needs at least one graph index");
    }
    BitSet seen = new BitSet(numGraphs());
    for (int g : graphs) {
      checkGraph(g);
      if (seen.get(g)) {
        throw new IllegalArgumentException("graph index " + g + " appears twice in one batch");
      }
      seen.set(g);
    }
  }

  private void checkGraph(int graph) {
    if (graph < 0 || graph >= numGraphs()) {
      throw new IllegalArgumentException("graph index " + graph + " out of range [0, " + numGraphs()
          + ") of dataset '" + data.name() + "'");
    }
  }

  private static int row(VertexTable v, long id, String dataset, int edge, String column) {
    int r = v.rowOf(id);
    if (r < 0) {
      throw new DqInputException(dataset + ": edge " + edge + " " + column + " = " + id
          + " is not a vertex id");
    }
    return r;
  }
}
