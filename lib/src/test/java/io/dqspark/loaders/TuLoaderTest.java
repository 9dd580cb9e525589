package io.dqspark.loaders;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dqspark.graph.CleaningCounts;
import io.dqspark.graph.EdgeRules;
import io.dqspark.graph.EdgeTable;
import io.dqspark.graph.GraphDataset;
import io.dqspark.graph.GraphLevel;
import io.dqspark.graph.VertexTable;
import io.dqspark.util.DqInputException;
import io.dqspark.util.HadoopFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TuLoaderTest {
  private static final HadoopFiles FILES = HadoopFiles.withDefaults();

  @TempDir Path tmp;

  private Path toy;

  /** A 3-graph toy in TU form: graph 2 has an isolated node, labels are 5/7/5. */
  @BeforeEach
  void writeToy() {
    toy = tmp.resolve("TOY");
    TestData.write(toy.resolve("TOY_graph_indicator.txt"), "1\n1\n2\n2\n2\n3\n3\n");
    TestData.write(toy.resolve("TOY_A.txt"), "1, 2\n2,1\n3 4\n4\t3\n6, 7\n7, 6\n6, 7\n");
    TestData.write(toy.resolve("TOY_graph_labels.txt"), "5\n7\n5\n");
  }

  private static GraphDataset load(Path dir) {
    return TuLoader.load(FILES, dir.toString(), null, EdgeRules.Options.DEFAULT);
  }

  private static DqInputException fails(Path dir) {
    return assertThrows(DqInputException.class, () -> load(dir));
  }

  @Test
  void mutagFromRepositoryData() {
    Path dir = TestData.repoData("tu/MUTAG");
    GraphDataset ds = load(dir);

    assertEquals("MUTAG", ds.name());
    assertEquals(GraphLevel.GRAPH, ds.level());
    assertEquals(2, ds.numClasses());
    assertEquals(188, ds.graphs().size());
    assertEquals(3371, ds.vertices().size());
    // 7442 lines, each bond in both directions, no repeats and no self-loops in the file.
    assertEquals(7442, ds.edges().size());
    assertEquals(new CleaningCounts(7442, 0, 0, 0), ds.cleaning());
    // 7 atom types (labels 0..6) one-hot, no attributes file.
    assertEquals(7, ds.featureDim());

    // Graph labels: raw 1, -1, -1, 1, -1 -> -1 maps to 0 and 1 to 1.
    assertArrayEquals(new int[] {1, 0, 0, 1, 0}, Arrays.copyOf(ds.graphs().labels(), 5));
    assertEquals(63, Arrays.stream(ds.graphs().labels()).filter(l -> l == 0).count());
    assertEquals(125, Arrays.stream(ds.graphs().labels()).filter(l -> l == 1).count());
    assertEquals(0L, ds.graphs().graphId(0));
    assertEquals(187L, ds.graphs().graphId(187));
    assertNull(ds.graphs().split(0));

    VertexTable v = ds.vertices();
    assertEquals(0L, v.id(0));
    assertEquals(0L, v.graphId(0));
    assertEquals(0L, v.graphId(16)); // graph 1 of the file has 17 nodes
    assertEquals(1L, v.graphId(17));
    assertEquals(187L, v.graphId(3370));
    assertArrayEquals(new float[] {1, 0, 0, 0, 0, 0, 0}, v.features(0), 0f);
    assertArrayEquals(new float[] {0, 0, 1, 0, 0, 0, 0}, v.features(3370), 0f); // last node is O (label 2)
    assertEquals(VertexTable.NO_LABEL, v.label(0));
    assertNull(v.split(0));

    EdgeTable e = ds.edges();
    // Sorted by (graph, src, dst); the file's first line "2, 1" becomes 1 -> 0.
    assertEquals(0L, e.graphId(0));
    assertEquals(0L, e.src(0));
    assertEquals(1L, e.dst(0));
    assertEquals(187L, e.graphId(e.size() - 1));
    assertEquals(3370L, e.src(e.size() - 1));
    assertEquals(38, Arrays.stream(e.graphIds()).filter(g -> g == 0).count());
    for (int i = 0; i < e.size(); i++) {
      assertEquals(v.graphId((int) e.src(i)), e.graphId(i));
      assertEquals(v.graphId((int) e.dst(i)), e.graphId(i));
    }
  }

  @Test
  void explicitNameOverridesTheFolderName() {
    Path renamed = tmp.resolve("somewhere");
    for (String part : new String[] {"graph_indicator", "A", "graph_labels"}) {
      TestData.write(renamed.resolve("TOY_" + part + ".txt"), readString(toy.resolve("TOY_" + part + ".txt")));
    }
    GraphDataset ds = TuLoader.load(FILES, renamed.toUri().toString(), "TOY", EdgeRules.Options.DEFAULT);
    assertEquals("TOY", ds.name());
    assertEquals(7, ds.vertices().size());
  }

  @Test
  void toyWithoutNodeFilesHasZeroWidthFeaturesAndKeepsIsolatedNodes() {
    GraphDataset ds = load(toy);
    assertEquals("TOY", ds.name());
    assertEquals(0, ds.featureDim());
    assertEquals(7, ds.vertices().size());
    assertArrayEquals(new long[] {0, 0, 1, 1, 1, 2, 2}, ds.vertices().graphIds());
    // Labels 5, 7, 5 -> 0, 1, 0 and two classes.
    assertArrayEquals(new int[] {0, 1, 0}, ds.graphs().labels());
    assertEquals(2, ds.numClasses());
    // "6, 7" twice: one duplicate dropped; node 5 (0-based 4) stays as an isolated vertex.
    assertEquals(new CleaningCounts(7, 0, 1, 0), ds.cleaning());
    assertArrayEquals(new long[] {0, 1, 2, 3, 5, 6}, ds.edges().src());
    assertArrayEquals(new long[] {1, 0, 3, 2, 6, 5}, ds.edges().dst());
    assertArrayEquals(new long[] {0, 0, 1, 1, 2, 2}, ds.edges().graphIds());
    assertTrue(Arrays.stream(ds.edges().src()).noneMatch(s -> s == 4));
  }

  @Test
  void keepDuplicatesOptionIsPassedToTheCleaningRule() {
    GraphDataset ds = TuLoader.load(FILES, toy.toString(), null, new EdgeRules.Options(false, true, false));
    assertEquals(7, ds.edges().size());
    assertEquals(0, ds.cleaning().duplicates());
  }

  @Test
  void attributesComeBeforeOneHotLabelsShiftedByTheirMinimum() {
    TestData.write(toy.resolve("TOY_node_attributes.txt"),
        " 0.5, -1.0\n1.5,2\n 3.25 ,4\n5,6\n7,8\n9,10\n11,12\n");
    TestData.write(toy.resolve("TOY_node_labels.txt"), "1\n3\n2\n1\n1\n3\n2\n");
    GraphDataset ds = load(toy);
    assertEquals(2 + 3, ds.featureDim());
    assertArrayEquals(new float[] {0.5f, -1f, 1, 0, 0}, ds.vertices().features(0), 0f);
    assertArrayEquals(new float[] {1.5f, 2f, 0, 0, 1}, ds.vertices().features(1), 0f);
    assertArrayEquals(new float[] {3.25f, 4f, 0, 1, 0}, ds.vertices().features(2), 0f);
  }

  @Test
  void severalNodeLabelColumnsEachGetAOneHotBlock() {
    TestData.write(toy.resolve("TOY_node_labels.txt"), "0, 10\n1, 11\n0, 12\n0, 10\n0, 10\n1, 10\n0, 10\n");
    GraphDataset ds = load(toy);
    assertEquals(2 + 3, ds.featureDim());
    assertArrayEquals(new float[] {0, 1, 0, 1, 0}, ds.vertices().features(1), 0f);
    assertArrayEquals(new float[] {1, 0, 0, 0, 1}, ds.vertices().features(2), 0f);
  }

  @Test
  void attributesOnlyGiveTheirOwnWidth() {
    TestData.write(toy.resolve("TOY_node_attributes.txt"), "1\n2\n3\n4\n5\n6\n7\n");
    GraphDataset ds = load(toy);
    assertEquals(1, ds.featureDim());
    assertArrayEquals(new float[] {7}, ds.vertices().features(6), 0f);
  }

  @Test
  void malformedEdgeLineNamesFileAndLine() {
    TestData.write(toy.resolve("TOY_A.txt"), "1, 2\n2, 1\n3; 4\n");
    DqInputException e = fails(toy);
    assertTrue(e.getMessage().contains("TOY_A.txt:3:"), e.getMessage());
    assertTrue(e.getMessage().contains("3; 4"), e.getMessage());
  }

  @Test
  void edgeLineWithThreeValuesIsRejected() {
    TestData.write(toy.resolve("TOY_A.txt"), "1, 2, 3\n");
    DqInputException e = fails(toy);
    assertTrue(e.getMessage().contains("TOY_A.txt:1:"), e.getMessage());
  }

  @Test
  void nodeIdZeroIsOutOfRange() {
    TestData.write(toy.resolve("TOY_A.txt"), "1, 2\n0, 1\n");
    DqInputException e = fails(toy);
    assertTrue(e.getMessage().contains("TOY_A.txt:2: node id 0 out of range 1..7"), e.getMessage());
  }

  @Test
  void nodeIdAboveTheNodeCountIsOutOfRange() {
    TestData.write(toy.resolve("TOY_A.txt"), "1, 2\n2, 1\n7, 8\n");
    DqInputException e = fails(toy);
    assertTrue(e.getMessage().contains("TOY_A.txt:3: node id 8 out of range 1..7"), e.getMessage());
  }

  @Test
  void edgeBetweenGraphsIsRejected() {
    TestData.write(toy.resolve("TOY_A.txt"), "1, 2\n2, 3\n");
    DqInputException e = fails(toy);
    assertTrue(e.getMessage().contains("TOY_A.txt:2:"), e.getMessage());
    assertTrue(e.getMessage().contains("node 2 of graph 1 and node 3 of graph 2"), e.getMessage());
  }

  @Test
  void graphIndicatorWithAGapIsRejected() {
    TestData.write(toy.resolve("TOY_graph_indicator.txt"), "1\n1\n3\n3\n3\n3\n3\n");
    TestData.write(toy.resolve("TOY_A.txt"), "1, 2\n");
    DqInputException e = fails(toy);
    assertTrue(e.getMessage().contains("TOY_graph_indicator.txt"), e.getMessage());
    assertTrue(e.getMessage().contains("no node belongs to graph 2"), e.getMessage());
  }

  @Test
  void graphIdZeroInTheIndicatorNamesTheLine() {
    TestData.write(toy.resolve("TOY_graph_indicator.txt"), "1\n1\n2\n0\n2\n3\n3\n");
    DqInputException e = fails(toy);
    assertTrue(e.getMessage().contains("TOY_graph_indicator.txt:4: graph id 0"), e.getMessage());
  }

  @Test
  void blankLineInsideAPositionalFileIsRejected() {
    TestData.write(toy.resolve("TOY_graph_indicator.txt"), "1\n1\n\n2\n2\n2\n3\n3\n");
    DqInputException e = fails(toy);
    assertTrue(e.getMessage().contains("TOY_graph_indicator.txt:3: blank line"), e.getMessage());
  }

  @Test
  void trailingBlankLinesAreFine() {
    TestData.write(toy.resolve("TOY_graph_labels.txt"), "5\n7\n5\n\n\n");
    assertEquals(3, load(toy).graphs().size());
  }

  @Test
  void graphLabelCountMustMatchTheGraphs() {
    TestData.write(toy.resolve("TOY_graph_labels.txt"), "5\n7\n");
    DqInputException e = fails(toy);
    assertTrue(e.getMessage().contains("TOY_graph_labels.txt: 2 graph labels, but TOY_graph_indicator.txt names 3 graphs"),
        e.getMessage());
  }

  @Test
  void nonIntegerGraphLabelNamesTheLine() {
    TestData.write(toy.resolve("TOY_graph_labels.txt"), "5\n7.5\n5\n");
    DqInputException e = fails(toy);
    assertTrue(e.getMessage().contains("TOY_graph_labels.txt:2: expected an integer, got '7.5'"), e.getMessage());
  }

  @Test
  void nodeLabelCountMustMatchTheNodes() {
    TestData.write(toy.resolve("TOY_node_labels.txt"), "0\n1\n0\n");
    DqInputException e = fails(toy);
    assertTrue(e.getMessage().contains("TOY_node_labels.txt: 3 rows, but the graph indicator has 7 nodes"), e.getMessage());
  }

  @Test
  void nodeAttributeCountMustMatchTheNodes() {
    TestData.write(toy.resolve("TOY_node_attributes.txt"), "1\n2\n3\n4\n5\n6\n7\n8\n");
    DqInputException e = fails(toy);
    assertTrue(e.getMessage().contains("TOY_node_attributes.txt: 8 rows"), e.getMessage());
  }

  @Test
  void nanAttributeNamesTheLine() {
    TestData.write(toy.resolve("TOY_node_attributes.txt"), "1, 1\n2, 2\n3, NaN\n4, 4\n5, 5\n6, 6\n7, 7\n");
    DqInputException e = fails(toy);
    assertTrue(e.getMessage().contains("TOY_node_attributes.txt:3: value 2 is NaN"), e.getMessage());
  }

  @Test
  void infiniteAttributeNamesTheLine() {
    TestData.write(toy.resolve("TOY_node_attributes.txt"), "1\n2\n3\n4\nInfinity\n6\n7\n");
    DqInputException e = fails(toy);
    assertTrue(e.getMessage().contains("TOY_node_attributes.txt:5: value 1 is Infinity"), e.getMessage());
  }

  @Test
  void raggedAttributeRowsAreRejected() {
    TestData.write(toy.resolve("TOY_node_attributes.txt"), "1, 1\n2, 2\n3\n4, 4\n5, 5\n6, 6\n7, 7\n");
    DqInputException e = fails(toy);
    assertTrue(e.getMessage().contains("TOY_node_attributes.txt:3: 1 values, but line 1 has 2"), e.getMessage());
  }

  @Test
  void emptyDatasetIsRejected() {
    TestData.write(toy.resolve("TOY_graph_indicator.txt"), "");
    DqInputException e = fails(toy);
    assertTrue(e.getMessage().contains("TOY_graph_indicator.txt: no nodes"), e.getMessage());
  }

  @Test
  void missingRequiredFileIsNamed() throws Exception {
    Files.delete(toy.resolve("TOY_graph_labels.txt"));
    DqInputException e = fails(toy);
    assertTrue(e.getMessage().contains("file not found"), e.getMessage());
    assertTrue(e.getMessage().contains("TOY_graph_labels.txt"), e.getMessage());
  }

  @Test
  void missingDirectoryIsNamed() {
    DqInputException e = fails(tmp.resolve("NOPE"));
    assertTrue(e.getMessage().contains("directory not found"), e.getMessage());
  }

  @Test
  void proteinsFromSharedDataLoadsFastWhenAvailable() {
    Path dir = TestData.shared("tu/PROTEINS");
    assumeTrue(Files.isDirectory(dir), "shared data not available");
    GraphDataset ds = load(dir);
    assertEquals(1113, ds.graphs().size());
    assertEquals(43471, ds.vertices().size());
    assertEquals(162088, ds.edges().size());
    assertEquals(2, ds.numClasses());
    assertEquals(1 + 3, ds.featureDim());
    assertArrayEquals(new float[] {23f, 1, 0, 0}, ds.vertices().features(0), 0f);
    assertEquals(663, Arrays.stream(ds.graphs().labels()).filter(l -> l == 0).count());
    // Node 21890 of the file has no edges and is kept.
    assertEquals(21889L, ds.vertices().id(21889));
    assertTrue(Arrays.stream(ds.edges().src()).noneMatch(s -> s == 21889));

    long best = Long.MAX_VALUE;
    for (int run = 0; run < 3; run++) {
      long start = System.nanoTime();
      load(dir);
      best = Math.min(best, System.nanoTime() - start);
    }
    System.out.println("PROTEINS warm load: " + best / 1_000_000 + " ms");
    assertTrue(best < 1_000_000_000L, "PROTEINS took " + best / 1_000_000 + " ms warm");
  }

  private static String readString(Path p) {
    try {
      return Files.readString(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
