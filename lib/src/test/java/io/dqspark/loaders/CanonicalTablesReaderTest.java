package io.dqspark.loaders;

import static io.dqspark.loaders.CanonicalFixtures.G;
import static io.dqspark.loaders.CanonicalFixtures.V;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dqspark.graph.CleaningCounts;
import io.dqspark.graph.EdgeRules;
import io.dqspark.graph.GraphDataset;
import io.dqspark.graph.GraphLevel;
import io.dqspark.graph.Split;
import io.dqspark.graph.VertexTable;
import io.dqspark.loaders.CanonicalTablesReader.TableFormat;
import io.dqspark.util.DqInputException;
import io.dqspark.util.HadoopFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parquet tables as Spark writes them, and CSV read back to the same tables. */
class CanonicalTablesReaderTest {
  private static final HadoopFiles FILES = HadoopFiles.withDefaults();
  private static final String PART0 = "part-00000-5f1c-c000.snappy.parquet";
  private static final String PART1 = "part-00001-5f1c-c000.snappy.parquet";

  @TempDir Path tmp;

  // A node-level graph split over two part files, rows out of order.
  static final List<V> NODE_PART0 = List.of(
      new V(0, 3, new float[] {0.5f, 1f, 2f}, 2, "test"),
      new V(0, 0, new float[] {1f, 0f, 0f}, 0, "train"));
  static final List<V> NODE_PART1 = List.of(
      new V(0, 1, new float[] {0f, 1f, 0f}, null, null),
      new V(0, 2, new float[] {0f, 0f, 1f}, 1, "val"));
  static final long[][] NODE_EDGES0 = {{0, 0, 1}, {0, 1, 0}, {0, 1, 2}, {0, 2, 2}, {0, 1, 2}};
  static final long[][] NODE_EDGES1 = {{0, 3, 0}};

  // A graph-level dataset: three graphs, graphs rows out of order, one unlabelled graph.
  static final List<V> GRAPH_VERTICES = List.of(
      new V(0, 0, new float[] {1f}, null, null), new V(0, 1, new float[] {2f}, null, null),
      new V(1, 2, new float[] {3f}, null, null), new V(2, 3, new float[] {4f}, null, null));
  static final long[][] GRAPH_EDGES = {{0, 0, 1}, {0, 1, 0}, {1, 2, 2}};
  static final List<G> GRAPH_ROWS = List.of(new G(1, 0, "train"), new G(0, 1, "test"), new G(2, null, null));

  private Path nodeLevelParquet() {
    Path dir = tmp.resolve("cora_like");
    CanonicalFixtures.parquetVertices(dir.resolve("vertices").resolve(PART0), NODE_PART0);
    CanonicalFixtures.parquetVertices(dir.resolve("vertices").resolve(PART1), NODE_PART1);
    CanonicalFixtures.parquetEdges(dir.resolve("edges").resolve(PART0), NODE_EDGES0);
    CanonicalFixtures.parquetEdges(dir.resolve("edges").resolve(PART1), NODE_EDGES1);
    TestData.write(dir.resolve("vertices").resolve("_SUCCESS"), "");
    return dir;
  }

  private Path graphLevelParquet() {
    Path dir = tmp.resolve("tu_like");
    CanonicalFixtures.parquetVertices(dir.resolve("vertices").resolve(PART0), GRAPH_VERTICES);
    CanonicalFixtures.parquetEdges(dir.resolve("edges").resolve(PART0), GRAPH_EDGES);
    CanonicalFixtures.parquetGraphs(dir.resolve("graphs").resolve(PART0), GRAPH_ROWS);
    return dir;
  }

  static GraphDataset read(Path dir, TableFormat format) {
    return CanonicalTablesReader.read(FILES, dir.toUri().toString(), null, format, EdgeRules.Options.DEFAULT);
  }

  static DqInputException fails(Path dir, TableFormat format) {
    return assertThrows(DqInputException.class, () -> read(dir, format));
  }

  static void assertNodeLevel(GraphDataset ds) {
    assertEquals(GraphLevel.NODE, ds.level());
    assertNull(ds.graphs());
    assertEquals(3, ds.numClasses()); // max label 2 + 1
    VertexTable v = ds.vertices();
    assertArrayEquals(new long[] {0, 1, 2, 3}, v.ids());
    assertArrayEquals(new long[4], v.graphIds());
    assertEquals(3, ds.featureDim());
    assertArrayEquals(new float[] {1f, 0f, 0f}, v.features(0), 0f);
    assertArrayEquals(new float[] {0.5f, 1f, 2f}, v.features(3), 0f);
    assertArrayEquals(new int[] {0, VertexTable.NO_LABEL, 1, 2}, v.labels());
    assertArrayEquals(new Split[] {Split.TRAIN, null, Split.VAL, Split.TEST}, v.splits());
    assertArrayEquals(new long[] {0, 1, 1, 3}, ds.edges().src());
    assertArrayEquals(new long[] {1, 0, 2, 0}, ds.edges().dst());
    assertEquals(new CleaningCounts(6, 1, 1, 0), ds.cleaning());
  }

  static void assertGraphLevel(GraphDataset ds) {
    assertEquals(GraphLevel.GRAPH, ds.level());
    assertEquals(2, ds.numClasses());
    assertArrayEquals(new long[] {0, 1, 2}, ds.graphs().graphIds());
    assertArrayEquals(new int[] {1, 0, VertexTable.NO_LABEL}, ds.graphs().labels());
    assertArrayEquals(new Split[] {Split.TEST, Split.TRAIN, null}, ds.graphs().splits());
    assertArrayEquals(new long[] {0, 0, 1, 2}, ds.vertices().graphIds());
    assertArrayEquals(new float[] {3f}, ds.vertices().features(2), 0f);
    assertEquals(2, ds.edges().size());
    assertEquals(new CleaningCounts(3, 1, 0, 0), ds.cleaning());
  }

  @Test
  void parquetNodeLevelTablesAreReadSortedAndCleaned() {
    GraphDataset ds = read(nodeLevelParquet(), TableFormat.PARQUET);
    assertEquals("cora_like", ds.name());
    assertNodeLevel(ds);
  }

  @Test
  void parquetGraphsTableMakesTheDatasetGraphLevel() {
    GraphDataset ds = read(graphLevelParquet(), TableFormat.PARQUET);
    assertEquals("tu_like", ds.name());
    assertGraphLevel(ds);
  }

  @Test
  void csvTablesReadTheSameAsParquet() {
    Path dir = tmp.resolve("csv_nodes");
    CanonicalFixtures.csvVertices(dir.resolve("vertices/part-00000-5f1c-c000.csv"), NODE_PART0);
    CanonicalFixtures.csvVertices(dir.resolve("vertices/part-00001-5f1c-c000.csv"), NODE_PART1);
    CanonicalFixtures.csvEdges(dir.resolve("edges/part-00000-5f1c-c000.csv"), NODE_EDGES0);
    CanonicalFixtures.csvEdges(dir.resolve("edges/part-00001-5f1c-c000.csv"), NODE_EDGES1);
    assertNodeLevel(read(dir, TableFormat.CSV));

    Path graphs = tmp.resolve("csv_graphs");
    CanonicalFixtures.csvVertices(graphs.resolve("vertices/part-00000.csv"), GRAPH_VERTICES);
    CanonicalFixtures.csvEdges(graphs.resolve("edges/part-00000.csv"), GRAPH_EDGES);
    CanonicalFixtures.csvGraphs(graphs.resolve("graphs/part-00000.csv"), GRAPH_ROWS);
    assertGraphLevel(read(graphs, TableFormat.CSV));
  }

  @Test
  void legacyTwoLevelListIsReadToo() throws IOException {
    MessageType legacy = MessageTypeParser.parseMessageType(
        "message spark_schema { required int64 graph_id; required int64 id;"
            + " optional group features (LIST) { repeated float array; } }");
    Path dir = tmp.resolve("legacy");
    SimpleGroupFactory factory = new SimpleGroupFactory(legacy);
    try (ParquetWriter<Group> out = CanonicalFixtures.writer(dir.resolve("vertices").resolve(PART0), legacy)) {
      Group g = factory.newGroup().append("graph_id", 0L).append("id", 0L);
      g.addGroup("features").append("array", 1.5f).append("array", -2f);
      out.write(g);
    }
    CanonicalFixtures.parquetEdges(dir.resolve("edges").resolve(PART0), new long[0][]);
    GraphDataset ds = read(dir, TableFormat.PARQUET);
    assertArrayEquals(new float[] {1.5f, -2f}, ds.vertices().features(0), 0f);
    assertEquals(VertexTable.NO_LABEL, ds.vertices().label(0));
    assertEquals(0, ds.numClasses());
    assertEquals(0, ds.edges().size());
  }

  @Test
  void missingVerticesDirectoryIsNamed() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("no_vertices").resolve("edges"));
    DqInputException e = fails(dir.getParent(), TableFormat.PARQUET);
    assertTrue(e.getMessage().contains("canonical vertices table: directory not found"), e.getMessage());
    assertTrue(e.getMessage().contains("no_vertices/vertices"), e.getMessage());
  }

  @Test
  void wrongFormatFindsNoPartFiles() {
    DqInputException e = fails(nodeLevelParquet(), TableFormat.CSV);
    assertTrue(e.getMessage().contains("no part-*.csv files in"), e.getMessage());
  }

  @Test
  void labelStoredAsStringIsNotAnInt() throws IOException {
    MessageType schema = MessageTypeParser.parseMessageType(
        "message spark_schema { required int64 graph_id; required int64 id;"
            + " optional group features (LIST) { repeated group list { optional float element; } }"
            + " optional binary label (STRING); }");
    Path dir = tmp.resolve("string_label");
    SimpleGroupFactory factory = new SimpleGroupFactory(schema);
    try (ParquetWriter<Group> out = CanonicalFixtures.writer(dir.resolve("vertices").resolve(PART0), schema)) {
      out.write(factory.newGroup().append("graph_id", 0L).append("id", 0L).append("label", "3"));
      out.write(factory.newGroup().append("graph_id", 0L).append("id", 1L).append("label", "cat"));
    }
    CanonicalFixtures.parquetEdges(dir.resolve("edges").resolve(PART0), new long[0][]);
    DqInputException e = fails(dir, TableFormat.PARQUET);
    assertTrue(e.getMessage().contains(PART0 + ": row 1: column 'label': has type"), e.getMessage());
    assertTrue(e.getMessage().contains("expected an int"), e.getMessage());
  }

  @Test
  void nanFeatureNamesFileRowAndColumn() {
    Path dir = nodeLevelParquet();
    CanonicalFixtures.parquetVertices(dir.resolve("vertices").resolve(PART1), List.of(
        new V(0, 1, new float[] {0f, 1f, 0f}, null, null),
        new V(0, 2, new float[] {0f, Float.NaN, 1f}, 1, "val")));
    DqInputException e = fails(dir, TableFormat.PARQUET);
    assertTrue(e.getMessage().contains(PART1 + ": row 2: column 'features': value 2 is NaN"), e.getMessage());
  }

  @Test
  void featureWidthMustNotChange() {
    Path dir = nodeLevelParquet();
    CanonicalFixtures.parquetVertices(dir.resolve("vertices").resolve(PART1), List.of(
        new V(0, 1, new float[] {0f, 1f}, null, null)));
    DqInputException e = fails(dir, TableFormat.PARQUET);
    assertTrue(e.getMessage().contains(PART1 + ": row 1: column 'features': 2 values, but the first vertex has 3"),
        e.getMessage());
  }

  @Test
  void vertexOfAGraphTheGraphsTableLacksIsRejected() {
    Path dir = graphLevelParquet();
    CanonicalFixtures.parquetGraphs(dir.resolve("graphs").resolve(PART0), List.of(new G(0, 1, null), new G(1, 0, null)));
    DqInputException e = fails(dir, TableFormat.PARQUET);
    assertTrue(e.getMessage().contains("vertex 3 belongs to graph_id 2, which the graphs table lacks"), e.getMessage());
  }

  @Test
  void repeatedGraphIdIsRejected() {
    Path dir = graphLevelParquet();
    CanonicalFixtures.parquetGraphs(dir.resolve("graphs").resolve(PART1), List.of(new G(2, 1, null)));
    DqInputException e = fails(dir, TableFormat.PARQUET);
    assertTrue(e.getMessage().contains("graph_id 2 appears more than once"), e.getMessage());
  }

  @Test
  void edgeToAnUnknownVertexFollowsTheCleaningRule() {
    Path dir = nodeLevelParquet();
    CanonicalFixtures.parquetEdges(dir.resolve("edges").resolve(PART1), new long[][] {{0, 3, 9}});
    DqInputException e = fails(dir, TableFormat.PARQUET);
    assertTrue(e.getMessage().contains("dst 9 is not in the vertices table"), e.getMessage());
    GraphDataset dropped = CanonicalTablesReader.read(FILES, dir.toString(), "x", TableFormat.PARQUET,
        new EdgeRules.Options(false, false, true));
    assertEquals(new CleaningCounts(6, 1, 1, 1), dropped.cleaning());
  }

  @Test
  void notAParquetFileIsReported() {
    Path dir = nodeLevelParquet();
    TestData.write(dir.resolve("vertices").resolve(PART1), "graph_id,id\n0,1\n");
    DqInputException e = fails(dir, TableFormat.PARQUET);
    assertTrue(e.getMessage().contains("cannot read Parquet file") && e.getMessage().contains(PART1), e.getMessage());
  }
}
