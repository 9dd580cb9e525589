package io.dqspark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dqspark.graph.EdgeRules;
import io.dqspark.graph.GraphDataset;
import io.dqspark.loaders.TuLoader;
import io.dqspark.util.DqInputException;
import io.dqspark.util.HadoopFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The published split files with their checks, and stratified folds for datasets without one. */
class CrossValidationFoldsTest {
  private static final HadoopFiles FILES = HadoopFiles.withDefaults();

  @TempDir Path tmp;

  @Test
  void proteinsSplitFileCoversEveryGraphOnce() {
    Path file = shared("splits/PROTEINS_full_splits.json");
    assumeTrue(Files.isRegularFile(file), "shared data not available");
    List<Fold> folds = CrossValidationFolds.read(FILES, file.toString(), 1113);
    assertEquals(10, folds.size());
    int[] testCount = new int[1113];
    for (int f = 0; f < folds.size(); f++) {
      Fold fold = folds.get(f);
      assertTrue(fold.test().length == 111 || fold.test().length == 112, "fold " + f + " test size");
      assertEquals(101, fold.validation().length, "fold " + f + " validation size");
      assertEquals(1113, fold.train().length + fold.validation().length + fold.test().length,
          "fold " + f + ": train, validation and test partition the dataset");
      assertDisjoint(fold, 1113, "fold " + f);
      for (int g : fold.test()) {
        testCount[g]++;
      }
    }
    assertTrue(Arrays.stream(testCount).allMatch(c -> c == 1), "every graph is tested exactly once");
    // the file's first test indices, as published
    assertArrayEquals(new int[] {6, 18, 28, 29, 35}, Arrays.copyOf(folds.get(0).test(), 5));
  }

  @Test
  void enzymesSplitFileMatchesTheDataset() {
    Path file = shared("splits/ENZYMES_splits.json");
    assumeTrue(Files.isRegularFile(file), "shared data not available");
    List<Fold> folds = CrossValidationFolds.read(FILES, file.toString(), 600);
    assertTrue(folds.stream().allMatch(f -> f.test().length == 60 && f.validation().length == 54));
    DqInputException e = assertThrows(DqInputException.class,
        () -> CrossValidationFolds.read(FILES, file.toString(), 599));
    assertMessage(e, file.toString());
    assertMessage(e, "out of range [0, 599)");
  }

  @Test
  void overlappingTestSetsAreNamed() throws IOException {
    List<FoldJson> folds = validFolds(20);
    folds.get(3).train.remove(Integer.valueOf(14));
    folds.get(3).test.add(14); // graph 14 is tested in folds 3 and 7
    Path file = write("overlap.json", folds);
    DqInputException e = assertThrows(DqInputException.class,
        () -> CrossValidationFolds.read(FILES, file.toString(), 20));
    assertMessage(e, file.toString());
    assertMessage(e, "fold 7: test graph 14 is also in the test set of fold 3");
  }

  @Test
  void outOfRangeIndicesAreNamed() throws IOException {
    List<FoldJson> folds = validFolds(20);
    folds.get(2).train.set(1, 20);
    Path file = write("range.json", folds);
    DqInputException e = assertThrows(DqInputException.class,
        () -> CrossValidationFolds.read(FILES, file.toString(), 20));
    assertMessage(e, file + ": fold 2, model_selection 0: \"train\"[1] = 20 is out of range [0, 20)");

    folds = validFolds(20);
    folds.get(5).validation.set(0, -1);
    Path negative = write("negative.json", folds);
    e = assertThrows(DqInputException.class, () -> CrossValidationFolds.read(FILES, negative.toString(), 20));
    assertMessage(e, "fold 5, model_selection 0: \"validation\"[0] = -1 is out of range");
  }

  @Test
  void trainTestOverlapWithinAFoldIsNamed() throws IOException {
    List<FoldJson> folds = validFolds(20);
    folds.get(4).train.add(folds.get(4).test.get(1));
    Path file = write("leak.json", folds);
    DqInputException e = assertThrows(DqInputException.class,
        () -> CrossValidationFolds.read(FILES, file.toString(), 20));
    assertMessage(e, "fold 4, model_selection 0: graph 9 is in both \"train\" and \"test\"");
  }

  @Test
  void wrongFoldCountsMissingGraphsAndBadJsonAreNamed() throws IOException {
    List<FoldJson> nine = validFolds(20).subList(0, 9);
    Path file = write("nine.json", nine);
    assertMessage(assertThrows(DqInputException.class,
        () -> CrossValidationFolds.read(FILES, file.toString(), 20)), "9 folds, expected 10");

    Path missing = write("missing.json", validFolds(20));
    assertMessage(assertThrows(DqInputException.class,
        () -> CrossValidationFolds.read(FILES, missing.toString(), 21)),
        "1 of 21 graphs are in no fold's test set (the first is graph 20)");

    Path broken = tmp.resolve("broken.json");
    Files.writeString(broken, "[{\"test\": [1, 2,");
    assertMessage(assertThrows(DqInputException.class,
        () -> CrossValidationFolds.read(FILES, broken.toString(), 20)), "not valid JSON");
    Path wrongType = tmp.resolve("type.json");
    Files.writeString(wrongType, "[" + String.join(",", Collections.nCopies(10,
        "{\"test\": [\"a\"], \"model_selection\": []}")) + "]");
    assertMessage(assertThrows(DqInputException.class,
        () -> CrossValidationFolds.read(FILES, wrongType.toString(), 20)),
        "fold 0: \"test\"[0] = \"a\" is not a graph index");
    assertMessage(assertThrows(DqInputException.class,
        () -> CrossValidationFolds.read(FILES, tmp.resolve("none.json").toString(), 20)), "file not found");
  }

  @Test
  void stratifiedMutagFoldsAreDisjointCoverAllAndKeepClassShares() {
    int[] labels = mutag().graphs().labels();
    int n = labels.length;
    List<Fold> folds = CrossValidationFolds.stratified(labels, 10, 3);
    assertEquals(10, folds.size());
    assertEquals(folds, CrossValidationFolds.stratified(labels, 10, 3), "same seed, same folds");
    assertNotEquals(folds, CrossValidationFolds.stratified(labels, 10, 4), "another seed");
    int[] classCount = new int[2];
    for (int label : labels) {
      classCount[label]++;
    }
    assertArrayEquals(new int[] {63, 125}, classCount);
    int[] tested = new int[n];
    for (int f = 0; f < folds.size(); f++) {
      Fold fold = folds.get(f);
      String what = "fold " + f;
      assertDisjoint(fold, n, what);
      assertEquals(n, fold.train().length + fold.validation().length + fold.test().length, what);
      int size = fold.test().length;
      assertTrue(size == 18 || size == 19, what + " test size " + size);
      for (int c = 0; c < 2; c++) {
        int cls = c;
        long inTest = Arrays.stream(fold.test()).filter(g -> labels[g] == cls).count();
        assertTrue(Math.abs(inTest - classCount[c] / 10.0) < 1, what + " class " + c + ": " + inTest);
        long inTrainPart = classCount[c] - inTest;
        long inValidation = Arrays.stream(fold.validation()).filter(g -> labels[g] == cls).count();
        assertEquals(Math.round(0.1 * inTrainPart), inValidation, what + " validation class " + c);
      }
      for (int g : fold.test()) {
        tested[g]++;
      }
    }
    assertTrue(Arrays.stream(tested).allMatch(c -> c == 1), "every graph is tested exactly once");
  }

  @Test
  void stratifiedArgumentsAreChecked() {
    assertThrows(IllegalArgumentException.class,
        () -> CrossValidationFolds.stratified(new int[] {0, 1}, 3, 1), "more folds than graphs");
    assertThrows(IllegalArgumentException.class,
        () -> CrossValidationFolds.stratified(new int[] {0, 1, 1}, 1, 1), "one fold");
    Exception e = assertThrows(IllegalArgumentException.class,
        () -> CrossValidationFolds.stratified(new int[] {0, -1, 1}, 2, 1));
    assertMessage(e, "graph 1 has label -1");
    assertThrows(IllegalArgumentException.class,
        () -> CrossValidationFolds.stratified(new int[] {0, 1, 1}, 2, 1, 1.0));
  }

  @Test
  void foldsKeepSortedCopies() {
    int[] train = {5, 1, 3};
    Fold fold = new Fold(train, new int[] {4}, new int[] {2, 0});
    assertArrayEquals(new int[] {1, 3, 5}, fold.train());
    assertArrayEquals(new int[] {0, 2}, fold.test());
    train[0] = 9;
    assertArrayEquals(new int[] {1, 3, 5}, fold.train());
    assertEquals(fold, new Fold(new int[] {1, 3, 5}, new int[] {4}, new int[] {0, 2}));
    assertEquals("Fold(train 3, validation 1, test 2)", fold.toString());
  }

  // ------------------------------------------------------------------ helpers

  /** A mutable fold as the file holds it. */
  private static final class FoldJson {
    final List<Integer> test = new ArrayList<>();
    final List<Integer> train = new ArrayList<>();
    final List<Integer> validation = new ArrayList<>();
  }

  /** Ten valid folds of {@code n} graphs: fold f tests graphs 2f and 2f + 1, validates 2f + 2. */
  private static List<FoldJson> validFolds(int n) {
    List<FoldJson> folds = new ArrayList<>();
    for (int f = 0; f < 10; f++) {
      FoldJson fold = new FoldJson();
      fold.test.add(2 * f);
      fold.test.add(2 * f + 1);
      int validation = (2 * f + 2) % n;
      fold.validation.add(validation);
      for (int g = 0; g < n; g++) {
        if (!fold.test.contains(g) && g != validation) {
          fold.train.add(g);
        }
      }
      folds.add(fold);
    }
    return folds;
  }

  private Path write(String name, List<FoldJson> folds) throws IOException {
    String json = folds.stream()
        .map(f -> "{\"test\": " + f.test + ", \"model_selection\": [{\"train\": " + f.train
            + ", \"validation\": " + f.validation + "}]}")
        .collect(Collectors.joining(", ", "[", "]"));
    Path file = tmp.resolve(name);
    Files.writeString(file, json);
    return file;
  }

  private static void assertDisjoint(Fold fold, int n, String what) {
    int[] seen = new int[n];
    for (int[] part : new int[][] {fold.train(), fold.validation(), fold.test()}) {
      for (int g : part) {
        seen[g]++;
      }
    }
    assertTrue(IntStream.of(seen).allMatch(c -> c <= 1), what + ": train, validation and test overlap");
  }

  private static void assertMessage(Exception e, String part) {
    assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' lacks '" + part + "'");
  }

  private static GraphDataset mutag() {
    String root = System.getProperty("dq.repo.root");
    Path base = root != null ? Paths.get(root) : Paths.get("").toAbsolutePath();
    for (Path d = base; d != null; d = d.getParent()) {
      Path dir = d.resolve("data/tu/MUTAG");
      if (Files.isDirectory(dir)) {
        return TuLoader.load(FILES, dir.toString(), "MUTAG", EdgeRules.Options.DEFAULT);
      }
    }
    throw new IllegalStateException("cannot find data/tu/MUTAG (set -Ddq.repo.root)");
  }

  /** The repository's bundled copy when it has one, else the development machines' shared data folder (may not exist in CI). */
  private static Path shared(String relative) {
    Path bundled = Paths.get(System.getProperty("dq.repo.root", ".."), "data", relative);
    if (Files.exists(bundled)) {
      return bundled;
    }
    String property = System.getProperty("dq.shared.data");
    Path base = property != null && Files.isDirectory(Paths.get(property))
        ? Paths.get(property) : Paths.get("/work/shared/data");
    return base.resolve(relative);
  }
}
