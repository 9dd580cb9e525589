package io.dqspark.loaders;

import io.dqspark.graph.EdgeRules;
import io.dqspark.graph.EdgeTable;
import io.dqspark.graph.GraphDataset;
import io.dqspark.graph.GraphLevel;
import io.dqspark.graph.GraphTable;
import io.dqspark.graph.Split;
import io.dqspark.graph.VertexTable;
import io.dqspark.util.DqInputException;
import io.dqspark.util.HadoopFiles;
import java.util.Arrays;
import java.util.Objects;
import org.apache.hadoop.fs.Path;

/**
 * Loads a TU Dortmund graph-classification dataset ({@code NAME_A.txt},
 * {@code NAME_graph_indicator.txt}, {@code NAME_graph_labels.txt} and the optional
 * {@code NAME_node_labels.txt} / {@code NAME_node_attributes.txt}).
 *
 * <p>Ids become 0-based (graph i of the file is {@code graph_id} i − 1), so the published
 * 0-based cross-validation split files index graphs directly. Node features follow PyG's
 * {@code TUDataset}: attributes first, then each node-label column one-hot encoded over
 * {@code min..max}, so feature widths match the papers we compare with.
 */
public final class TuLoader {
  /** A one-hot block wider than this is a mistaken label column, not a category. */
  static final int MAX_ONE_HOT = 100_000;

  private TuLoader() {}

  /**
   * @param dir the folder holding the files (any Hadoop URI)
   * @param name the file prefix; null takes the folder's last path component
   */
  public static GraphDataset load(HadoopFiles files, String dir, String name, EdgeRules.Options rules) {
    Objects.requireNonNull(files, "files");
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(rules, "rules");
    Path base = new Path(dir);
    files.requireDirectory(base, "TU dataset directory");
    String prefix = name != null ? name : base.getName();

    NumericText.Ints indicator = NumericText.readInts(files, file(base, prefix, "graph_indicator"), 1, "TU graph indicator");
    int numNodes = indicator.rows();
    if (numNodes == 0) {
      throw new DqInputException(indicator.file() + ": no nodes, the dataset is empty");
    }
    int numGraphs = checkIndicator(indicator);

    NumericText.Ints rawLabels = NumericText.readInts(files, file(base, prefix, "graph_labels"), 1, "TU graph labels");
    if (rawLabels.rows() != numGraphs) {
      throw new DqInputException(rawLabels.file() + ": " + rawLabels.rows() + " graph labels, but "
          + indicator.file().getName() + " names " + numGraphs + " graphs");
    }

    VertexTable vertices = vertices(indicator, TuFeatures.read(files, base, prefix, numNodes));
    Path edgeFile = file(base, prefix, "A");
    EdgeTable raw = edges(NumericText.readInts(files, edgeFile, 2, "TU edges"), indicator);
    EdgeRules.Result cleaned = EdgeRules.clean(raw, vertices, rules, edgeFile.toString());

    int[] distinct = Arrays.stream(rawLabels.values()).distinct().sorted().toArray();
    long[] graphIds = new long[numGraphs];
    int[] labels = new int[numGraphs];
    for (int g = 0; g < numGraphs; g++) {
      graphIds[g] = g;
      labels[g] = Arrays.binarySearch(distinct, rawLabels.get(g, 0));
    }
    GraphTable graphs = new GraphTable(graphIds, labels, new Split[numGraphs]);
    return new GraphDataset(prefix, GraphLevel.GRAPH, distinct.length, vertices, cleaned.edges(), graphs,
        cleaned.counts());
  }

  static Path file(Path base, String prefix, String part) {
    return new Path(base, prefix + "_" + part + ".txt");
  }

  /** Checks that graph ids are 1..G with every graph present, and returns G. */
  private static int checkIndicator(NumericText.Ints indicator) {
    int n = indicator.rows();
    int max = 0;
    for (int i = 0; i < n; i++) {
      int g = indicator.get(i, 0);
      if (g < 1) {
        throw DqInputException.atLine(indicator.file().toString(), i + 1,
            "graph id " + g + " (TU graph ids start at 1)");
      }
      if (g > n) {
        throw DqInputException.atLine(indicator.file().toString(), i + 1, "graph id " + g + " exceeds the "
            + n + " nodes, so graph ids 1.." + g + " cannot all have nodes");
      }
      max = Math.max(max, g);
    }
    boolean[] seen = new boolean[max + 1];
    for (int i = 0; i < n; i++) {
      seen[indicator.get(i, 0)] = true;
    }
    for (int g = 1; g <= max; g++) {
      if (!seen[g]) {
        throw new DqInputException(indicator.file() + ": graph ids must cover 1.." + max
            + " without gaps, but no node belongs to graph " + g);
      }
    }
    return max;
  }

  private static VertexTable vertices(NumericText.Ints indicator, float[][] features) {
    int n = indicator.rows();
    long[] graphIds = new long[n];
    long[] ids = new long[n];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      graphIds[i] = indicator.get(i, 0) - 1L;
      ids[i] = i;
    }
    Arrays.fill(labels, VertexTable.NO_LABEL);
    return new VertexTable(graphIds, ids, features, labels, new Split[n]);
  }

  /** Turns 1-based {@code i, j} lines into 0-based edges of the graph both endpoints share. */
  private static EdgeTable edges(NumericText.Ints lines, NumericText.Ints indicator) {
    int m = lines.rows();
    int n = indicator.rows();
    long[] graphIds = new long[m];
    long[] src = new long[m];
    long[] dst = new long[m];
    for (int e = 0; e < m; e++) {
      int s = lines.get(e, 0);
      int d = lines.get(e, 1);
      checkNode(s, lines, e, indicator);
      checkNode(d, lines, e, indicator);
      int gs = indicator.get(s - 1, 0);
      int gd = indicator.get(d - 1, 0);
      if (gs != gd) {
        throw DqInputException.atLine(lines.file().toString(), e + 1, "edge " + s + ", " + d
            + " joins node " + s + " of graph " + gs + " and node " + d + " of graph " + gd
            + " (an edge must stay inside one graph)");
      }
      graphIds[e] = gs - 1L;
      src[e] = s - 1L;
      dst[e] = d - 1L;
    }
    return new EdgeTable(graphIds, src, dst);
  }

  private static void checkNode(int id, NumericText.Ints lines, int row, NumericText.Ints indicator) {
    int n = indicator.rows();
    if (id < 1 || id > n) {
      throw DqInputException.atLine(lines.file().toString(), row + 1,
          "node id " + id + " out of range 1.." + n + " (" + indicator.file().getName() + " has " + n + " nodes)");
    }
  }
}
