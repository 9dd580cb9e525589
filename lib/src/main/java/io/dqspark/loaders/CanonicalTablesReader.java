package io.dqspark.loaders;

import io.dqspark.graph.EdgeRules;
import io.dqspark.graph.EdgeTable;
import io.dqspark.graph.GraphDataset;
import io.dqspark.graph.GraphLevel;
import io.dqspark.graph.GraphTable;
import io.dqspark.graph.VertexTable;
import io.dqspark.util.DqInputException;
import io.dqspark.util.HadoopFiles;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.hadoop.fs.Path;

/**
 * Reads the canonical tables a Spark job wrote ({@code vertices/}, {@code edges/} and, for
 * graph-level data, {@code graphs/}) back into one JVM, so that single-machine training and
 * tests can use what the cluster produced. Rows are sorted by {@code (graph_id, id)} (graphs by
 * {@code graph_id}) so the result does not depend on how Spark partitioned the output.
 */
public final class CanonicalTablesReader {
  /** How the tables are stored. */
  public enum TableFormat {
    /** {@code part-*.parquet}, Spark's default. */
    PARQUET,
    /** {@code part-*.csv} with a header; arrays as {@code ;}-joined values. */
    CSV
  }

  static final TableRow.Columns VERTICES = new TableRow.Columns("vertices",
      new String[] {"graph_id", "id", "features", "label", "split"}, new boolean[] {true, true, true, false, false});
  static final TableRow.Columns EDGES = new TableRow.Columns("edges",
      new String[] {"graph_id", "src", "dst"}, new boolean[] {true, true, true});
  static final TableRow.Columns GRAPHS = new TableRow.Columns("graphs",
      new String[] {"graph_id", "label", "split"}, new boolean[] {true, true, false});

  private CanonicalTablesReader() {}

  /**
   * @param dir the folder holding {@code vertices/}, {@code edges/} and optionally {@code graphs/}
   * @param name dataset name; null takes the folder's last path component
   */
  public static GraphDataset read(HadoopFiles files, String dir, String name, TableFormat format,
      EdgeRules.Options rules) {
    Objects.requireNonNull(files, "files");
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(rules, "rules");
    Path base = new Path(dir);
    files.requireDirectory(base, "canonical tables directory");
    Path vertexDir = new Path(base, "vertices");
    Path edgeDir = new Path(base, "edges");
    Path graphDir = new Path(base, "graphs");
    files.requireDirectory(vertexDir, "canonical vertices table");
    files.requireDirectory(edgeDir, "canonical edges table");

    VertexTable vertices = CanonicalRows.vertices(rows -> scan(files, vertexDir, VERTICES, format, rows));
    if (vertices.size() == 0) {
      throw new DqInputException(vertexDir + ": no rows, the dataset is empty");
    }
    GraphTable graphs = null;
    if (files.exists(graphDir)) {
      graphs = CanonicalRows.graphs(rows -> scan(files, graphDir, GRAPHS, format, rows), graphDir);
      checkGraphsCoverVertices(graphs, vertices, vertexDir);
    }
    EdgeTable raw = CanonicalRows.edges(rows -> scan(files, edgeDir, EDGES, format, rows));
    EdgeRules.Result cleaned = EdgeRules.clean(raw, vertices, rules, edgeDir.toString());
    int[] labels = graphs != null ? graphs.labels() : vertices.labels();
    int numClasses = Arrays.stream(labels).max().orElse(VertexTable.NO_LABEL) + 1;
    return new GraphDataset(name != null ? name : base.getName(), graphs != null ? GraphLevel.GRAPH : GraphLevel.NODE,
        numClasses, vertices, cleaned.edges(), graphs, cleaned.counts());
  }

  private static void scan(HadoopFiles files, Path dir, TableRow.Columns columns, TableFormat format,
      Consumer<TableRow> rows) {
    if (format == TableFormat.PARQUET) {
      ParquetTables.scan(files, dir, columns, rows);
    } else {
      CsvTables.scan(files, dir, columns, rows);
    }
  }

  private static void checkGraphsCoverVertices(GraphTable graphs, VertexTable vertices, Path vertexDir) {
    long[] known = graphs.graphIds(); // sorted and distinct
    for (int i = 0; i < vertices.size(); i++) {
      if (Arrays.binarySearch(known, vertices.graphId(i)) < 0) {
        throw new DqInputException(vertexDir + ": vertex " + vertices.id(i) + " belongs to graph_id "
            + vertices.graphId(i) + ", which the graphs table lacks");
      }
    }
  }
}
