package io.dqspark.loaders;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dqspark.graph.CleaningCounts;
import io.dqspark.graph.EdgeRules;
import io.dqspark.graph.GraphDataset;
import io.dqspark.graph.GraphLevel;
import io.dqspark.graph.VertexTable;
import io.dqspark.loaders.EdgeListFormat.HeaderMode;
import io.dqspark.util.DqInputException;
import io.dqspark.util.HadoopFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EdgeListLoaderTest {
  private static final HadoopFiles FILES = HadoopFiles.withDefaults();

  @TempDir Path tmp;

  private static GraphDataset load(Path path, HeaderMode header, boolean symmetrize) {
    return EdgeListLoader.load(FILES, path.toString(), null, header, symmetrize, EdgeRules.Options.DEFAULT);
  }

  private static DqInputException fails(Path path, HeaderMode header) {
    return assertThrows(DqInputException.class, () -> load(path, header, false));
  }

  /** Like facebook_combined.txt: header, space separated, each undirected edge listed once. */
  @Test
  void facebookLikeUndirectedListIsSymmetrisedAndKeepsIsolatedVertices() {
    Path file = TestData.write(tmp.resolve("facebook_like.txt"), "5 4\n0 1\n0 2\n1 2\n3 1\n");
    GraphDataset ds = load(file, HeaderMode.AUTO, true);

    assertEquals("facebook_like", ds.name());
    assertEquals(GraphLevel.NODE, ds.level());
    assertEquals(0, ds.numClasses());
    assertNull(ds.graphs());
    assertEquals(0, ds.featureDim());
    assertArrayEquals(new long[] {0, 1, 2, 3, 4}, ds.vertices().ids()); // 4 is isolated but declared
    assertArrayEquals(new long[5], ds.vertices().graphIds());
    assertEquals(VertexTable.NO_LABEL, ds.vertices().label(4));
    assertNull(ds.vertices().split(4));

    assertArrayEquals(new long[] {0, 0, 1, 1, 1, 2, 2, 3}, ds.edges().src());
    assertArrayEquals(new long[] {1, 2, 0, 2, 3, 0, 1, 1}, ds.edges().dst());
    assertArrayEquals(new long[8], ds.edges().graphIds());
    assertEquals(new CleaningCounts(8, 0, 0, 0), ds.cleaning());
  }

  /** Like email-Enron.txt: header, tabs, CRLF line ends, both directions listed. */
  @Test
  void enronLikeDirectedListWithCrlfTabsSelfLoopAndDuplicate() {
    Path file = TestData.write(tmp.resolve("enron_like.txt"),
        "4 6\r\n0\t1\r\n1\t0\r\n2\t2\r\n1\t3\r\n3\t1\r\n1\t3\r\n");
    GraphDataset ds = load(file, HeaderMode.AUTO, false);
    assertArrayEquals(new long[] {0, 1, 2, 3}, ds.vertices().ids());
    assertArrayEquals(new long[] {0, 1, 1, 3}, ds.edges().src());
    assertArrayEquals(new long[] {1, 0, 3, 1}, ds.edges().dst());
    assertEquals(new CleaningCounts(6, 1, 1, 0), ds.cleaning());
  }

  @Test
  void keepOptionsReachTheCleaningRule() {
    Path file = TestData.write(tmp.resolve("g.txt"), "0 0\n0 1\n0 1\n");
    GraphDataset ds = EdgeListLoader.load(FILES, file.toString(), "g", HeaderMode.ABSENT, false,
        new EdgeRules.Options(true, true, false));
    assertEquals(3, ds.edges().size());
    assertEquals(new CleaningCounts(3, 0, 0, 0), ds.cleaning());
  }

  @Test
  void withoutHeaderVerticesAreTheDistinctIdsSorted() {
    // "10 20" cannot be a header: 2 lines follow, not 20, and ids reach 30.
    Path file = TestData.write(tmp.resolve("plain.txt"), "10 20\n30 7\n20 10\n");
    GraphDataset ds = load(file, HeaderMode.AUTO, false);
    assertArrayEquals(new long[] {7, 10, 20, 30}, ds.vertices().ids());
    assertArrayEquals(new long[] {10, 20, 30}, ds.edges().src());
    assertArrayEquals(new long[] {20, 10, 7}, ds.edges().dst());
    assertEquals(3, ds.cleaning().rawEdges());
  }

  @Test
  void headerComesAfterCommentsAndBlankLines() {
    Path file = TestData.write(tmp.resolve("commented.txt"),
        "# Directed graph\n% another comment style\n\n3 2\n# FromNodeId ToNodeId\n0 1\n\n1,2\n");
    GraphDataset ds = load(file, HeaderMode.AUTO, false);
    assertArrayEquals(new long[] {0, 1, 2}, ds.vertices().ids());
    assertEquals(2, ds.edges().size());
  }

  @Test
  void absentModeReadsAHeaderLookingLineAsAnEdge() {
    Path file = TestData.write(tmp.resolve("h.txt"), "3 2\n0 1\n1 2\n");
    GraphDataset ds = load(file, HeaderMode.ABSENT, false);
    assertArrayEquals(new long[] {0, 1, 2, 3}, ds.vertices().ids());
    assertEquals(3, ds.edges().size());
  }

  @Test
  void presentModeRejectsAnIdNotBelowTheNodeCountNamingTheLine() {
    Path file = TestData.write(tmp.resolve("bad_header.txt"), "3 3\n0 1\n1 2\n2 3\n");
    DqInputException e = fails(file, HeaderMode.PRESENT);
    assertTrue(e.getMessage().contains("bad_header.txt:4: vertex id 3 is not below the header's node count 3"),
        e.getMessage());
  }

  @Test
  void autoModeTreatsAnInconsistentHeaderAsAnEdge() {
    Path file = TestData.write(tmp.resolve("auto.txt"), "3 3\n0 1\n1 2\n2 3\n");
    GraphDataset ds = load(file, HeaderMode.AUTO, false);
    assertArrayEquals(new long[] {0, 1, 2, 3}, ds.vertices().ids());
    // As an edge, "3 3" is a self-loop and is dropped.
    assertEquals(3, ds.edges().size());
    assertEquals(new CleaningCounts(4, 1, 0, 0), ds.cleaning());
  }

  @Test
  void malformedLineNamesFileAndLine() {
    Path file = TestData.write(tmp.resolve("bad.txt"), "0 1\n# ok\n1 two\n");
    DqInputException e = fails(file, HeaderMode.AUTO);
    assertTrue(e.getMessage().contains("bad.txt:3: expected two integer ids, got '1 two'"), e.getMessage());
  }

  @Test
  void negativeIdNamesFileAndLine() {
    Path file = TestData.write(tmp.resolve("neg.txt"), "0 1\n-1 2\n");
    DqInputException e = fails(file, HeaderMode.AUTO);
    assertTrue(e.getMessage().contains("neg.txt:2: negative id"), e.getMessage());
  }

  @Test
  void extraFieldIsRejected() {
    Path file = TestData.write(tmp.resolve("weighted.txt"), "0 1 0.5\n");
    DqInputException e = fails(file, HeaderMode.AUTO);
    assertTrue(e.getMessage().contains("weighted.txt:1:") && e.getMessage().contains("extra fields"), e.getMessage());
  }

  @Test
  void directoryOfPartFilesIsReadInNameOrderSkippingBookkeeping() {
    Path dir = tmp.resolve("parts");
    TestData.write(dir.resolve("part-00001"), "2 3\n3 0\n");
    TestData.write(dir.resolve("part-00000"), "4 4\n0 1\n1 2\n");
    TestData.write(dir.resolve("_SUCCESS"), "");
    TestData.write(dir.resolve(".part-00000.crc"), "not an edge list");
    GraphDataset ds = load(dir, HeaderMode.AUTO, false);
    assertEquals("parts", ds.name());
    assertArrayEquals(new long[] {0, 1, 2, 3}, ds.vertices().ids());
    assertArrayEquals(new long[] {0, 1, 2, 3}, ds.edges().src());
    assertArrayEquals(new long[] {1, 2, 3, 0}, ds.edges().dst());
  }

  @Test
  void errorInASecondPartFileNamesThatFile() {
    Path dir = tmp.resolve("parts");
    TestData.write(dir.resolve("part-00000"), "0 1\n");
    TestData.write(dir.resolve("part-00001"), "1 2\n2 x\n");
    DqInputException e = fails(dir, HeaderMode.AUTO);
    assertTrue(e.getMessage().contains("part-00001:2:"), e.getMessage());
  }

  @Test
  void emptyInputIsRejected() {
    Path file = TestData.write(tmp.resolve("empty.txt"), "# nothing\n\n");
    DqInputException e = fails(file, HeaderMode.AUTO);
    assertTrue(e.getMessage().contains("empty.txt: no edge lines"), e.getMessage());
  }

  @Test
  void emptyDirectoryIsRejected() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("nothing"));
    TestData.write(dir.resolve("_SUCCESS"), "");
    DqInputException e = fails(dir, HeaderMode.AUTO);
    assertTrue(e.getMessage().contains("no data files"), e.getMessage());
  }

  @Test
  void missingFileIsNamed() {
    DqInputException e = fails(tmp.resolve("missing.txt"), HeaderMode.AUTO);
    assertTrue(e.getMessage().contains("file not found") && e.getMessage().contains("missing.txt"), e.getMessage());
  }

  @Test
  void emailEnronFromSharedDataWhenAvailable() {
    Path file = TestData.shared("snap/email-Enron.txt");
    assumeTrue(Files.isRegularFile(file), "shared data not available");
    GraphDataset ds = load(file, HeaderMode.AUTO, false);
    assertEquals("email-Enron", ds.name());
    assertEquals(36_692, ds.vertices().size());
    assertEquals(36_691L, ds.vertices().id(36_691));
    // The file lists both directions of every link, with no repeats and no self-loops.
    assertEquals(367_662, ds.edges().size());
    assertEquals(new CleaningCounts(367_662, 0, 0, 0), ds.cleaning());
    // Symmetrising it therefore only adds exact duplicates.
    GraphDataset sym = load(file, HeaderMode.AUTO, true);
    assertEquals(367_662, sym.edges().size());
    assertEquals(new CleaningCounts(2 * 367_662, 0, 367_662, 0), sym.cleaning());
    assertTrue(Arrays.equals(ds.edges().src(), sym.edges().src()));

    long best = Long.MAX_VALUE;
    for (int run = 0; run < 3; run++) {
      long start = System.nanoTime();
      load(file, HeaderMode.AUTO, false);
      best = Math.min(best, System.nanoTime() - start);
    }
    System.out.println("email-Enron warm load: " + best / 1_000_000 + " ms");
    assertTrue(best < 1_000_000_000L, "email-Enron took " + best / 1_000_000 + " ms warm");
  }
}
