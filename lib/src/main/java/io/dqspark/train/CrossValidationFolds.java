package io.dqspark.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dqspark.util.DqInputException;
import io.dqspark.util.HadoopFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.apache.hadoop.fs.Path;

/**
 * The k folds of graph-classification cross-validation: read from the published split files of
 * the fair-comparison protocol (Errica et al., ICLR 2020), or drawn stratified by class with a
 * fixed seed for datasets that have no file (MUTAG).
 *
 * <p>A split file is a JSON list of 10 folds, each {@code {"test": [...], "model_selection":
 * [{"train": [...], "validation": [...]}, ...]}} of 0-based graph indices. Every entry is
 * checked; a {@link Fold} takes the first model-selection entry (the published files have one).
 */
public final class CrossValidationFolds {
  /** Folds in a published split file. */
  public static final int FILE_FOLDS = 10;
  /** Share of each fold's training part held out for validation by {@link #stratified}. */
  public static final double VALIDATION_FRACTION = 0.1;

  private CrossValidationFolds() {}

  /**
   * Reads and checks a split file for a dataset of {@code numGraphs} graphs: 10 folds, indices in
   * range and not repeated within a list, train, validation and test disjoint in every fold, and
   * the test sets disjoint and covering every graph exactly once. Errors name the file and fold.
   */
  public static List<Fold> read(HadoopFiles files, String file, int numGraphs) {
    Objects.requireNonNull(files, "files");
    Objects.requireNonNull(file, "file");
    return parse(files.readAll(new Path(file), "cross-validation splits"), file, numGraphs);
  }

  /** {@link #read} on the bytes of a file; {@code file} names it in errors. */
  static List<Fold> parse(byte[] json, String file, int numGraphs) {
    if (numGraphs < 1) {
      throw new IllegalArgumentException("numGraphs must be >= 1, got " + numGraphs);
    }
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(json);
    } catch (JsonProcessingException e) {
      throw new DqInputException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new DqInputException(file + ": cannot read: " + e.getMessage(), e);
    }
    if (root == null || !root.isArray()) {
      throw new DqInputException(file + ": expected a JSON list of " + FILE_FOLDS + " folds");
    }
    if (root.size() != FILE_FOLDS) {
      throw new DqInputException(file + ": " + root.size() + " folds, expected " + FILE_FOLDS);
    }
    List<Fold> folds = new ArrayList<>(FILE_FOLDS);
    int[] testFoldOf = new int[numGraphs];
    Arrays.fill(testFoldOf, -1);
    for (int f = 0; f < root.size(); f++) {
      String where = file + ": fold " + f;
      JsonNode fold = root.get(f);
      if (!fold.isObject()) {
        throw new DqInputException(where + ": expected an object with \"test\" and \"model_selection\"");
      }
      int[] test = indices(fold, "test", where, numGraphs);
      JsonNode selection = fold.get("model_selection");
      if (selection == null || !selection.isArray() || selection.isEmpty()) {
        throw new DqInputException(where + ": \"model_selection\" must be a non-empty list");
      }
      int[] firstTrain = null;
      int[] firstValidation = null;
      for (int s = 0; s < selection.size(); s++) {
        String at = where + ", model_selection " + s;
        JsonNode entry = selection.get(s);
        if (!entry.isObject()) {
          throw new DqInputException(at + ": expected an object with \"train\" and \"validation\"");
        }
        int[] train = indices(entry, "train", at, numGraphs);
        int[] validation = indices(entry, "validation", at, numGraphs);
        checkDisjoint(at, numGraphs, new String[] {"train", "validation", "test"}, train, validation, test);
        if (s == 0) {
          firstTrain = train;
          firstValidation = validation;
        }
      }
      for (int g : test) {
        if (testFoldOf[g] >= 0) {
          throw new DqInputException(where + ": test graph " + g + " is also in the test set of fold "
              + testFoldOf[g] + "; test sets must be disjoint");
        }
        testFoldOf[g] = f;
      }
      folds.add(new Fold(firstTrain, firstValidation, test));
    }
    int missing = 0;
    int firstMissing = -1;
    for (int g = 0; g < numGraphs; g++) {
      if (testFoldOf[g] < 0) {
        missing++;
        firstMissing = firstMissing < 0 ? g : firstMissing;
      }
    }
    if (missing > 0) {
      throw new DqInputException(file + ": " + missing + " of " + numGraphs + " graphs are in no"
          + " fold's test set (the first is graph " + firstMissing + "); the test sets must cover"
          + " every graph once");
    }
    return folds;
  }

  /** The list {@code key} of {@code node}: whole numbers in {@code [0, numGraphs)}, none repeated. */
  private static int[] indices(JsonNode node, String key, String where, int numGraphs) {
    JsonNode list = node.get(key);
    if (list == null || !list.isArray()) {
      throw new DqInputException(where + ": \"" + key + "\" must be a list of graph indices");
    }
    int[] out = new int[list.size()];
    boolean[] seen = new boolean[numGraphs];
    for (int i = 0; i < out.length; i++) {
      JsonNode v = list.get(i);
      if (!v.isIntegralNumber() || !v.canConvertToInt()) {
        throw new DqInputException(where + ": \"" + key + "\"[" + i + "] = " + v
            + " is not a graph index");
      }
      int g = v.intValue();
      if (g < 0 || g >= numGraphs) {
        throw new DqInputException(where + ": \"" + key + "\"[" + i + "] = " + g
            + " is out of range [0, " + numGraphs + ")");
      }
      if (seen[g]) {
        throw new DqInputException(where + ": graph " + g + " appears twice in \"" + key + "\"");
      }
      seen[g] = true;
      out[i] = g;
    }
    return out;
  }

  private static void checkDisjoint(String where, int numGraphs, String[] names, int[]... sets) {
    int[] owner = new int[numGraphs];
    Arrays.fill(owner, -1);
    for (int s = 0; s < sets.length; s++) {
      for (int g : sets[s]) {
        if (owner[g] >= 0) {
          throw new DqInputException(where + ": graph " + g + " is in both \"" + names[owner[g]]
              + "\" and \"" + names[s] + "\"; they must be disjoint");
        }
        owner[g] = s;
      }
    }
  }

  /** {@link #stratified(int[], int, long, double)} with a {@link #VALIDATION_FRACTION} slice. */
  public static List<Fold> stratified(int[] labels, int k, long seed) {
    return stratified(labels, k, seed, VALIDATION_FRACTION);
  }

  /**
   * {@code k} stratified folds of the graphs with {@code labels} (one per graph index): each class
   * is shuffled and dealt round-robin, the deal continuing from class to class, so every fold's
   * test set holds each class's share to within one graph and fold sizes differ by at most one.
   * From each fold's training part, {@code validationFraction} of each class (rounded) is held out
   * for validation. One {@link Random} seeded with {@code seed} makes it reproducible.
   */
  public static List<Fold> stratified(int[] labels, int k, long seed, double validationFraction) {
    Objects.requireNonNull(labels, "labels");
    if (k < 2 || k > labels.length) {
      throw new IllegalArgumentException("k must be in [2, " + labels.length + "] for "
          + labels.length + " graphs, got " + k);
    }
    if (!(validationFraction >= 0 && validationFraction < 1)) {
      throw new IllegalArgumentException("validationFraction must be in [0, 1), got " + validationFraction);
    }
    int classes = 0;
    for (int g = 0; g < labels.length; g++) {
      if (labels[g] < 0) {
        throw new IllegalArgumentException("graph " + g + " has label " + labels[g]
            + "; stratified folds need a label >= 0 for every graph");
      }
      classes = Math.max(classes, labels[g] + 1);
    }
    List<List<Integer>> byClass = new ArrayList<>();
    for (int c = 0; c < classes; c++) {
      byClass.add(new ArrayList<>());
    }
    for (int g = 0; g < labels.length; g++) {
      byClass.get(labels[g]).add(g);
    }
    Random random = new Random(seed);
    int[] foldOf = new int[labels.length];
    int deal = 0;
    for (List<Integer> members : byClass) {
      Collections.shuffle(members, random);
      for (int g : members) {
        foldOf[g] = deal++ % k;
      }
    }
    List<Fold> folds = new ArrayList<>(k);
    for (int f = 0; f < k; f++) {
      List<Integer> test = new ArrayList<>();
      List<Integer> train = new ArrayList<>();
      List<Integer> validation = new ArrayList<>();
      for (List<Integer> members : byClass) {
        List<Integer> rest = new ArrayList<>();
        for (int g : members) {
          (foldOf[g] == f ? test : rest).add(g);
        }
        Collections.shuffle(rest, random);
        int held = (int) Math.round(validationFraction * rest.size());
        validation.addAll(rest.subList(0, held));
        train.addAll(rest.subList(held, rest.size()));
      }
      folds.add(new Fold(toArray(train), toArray(validation), toArray(test)));
    }
    return folds;
  }

  private static int[] toArray(List<Integer> values) {
    return values.stream().mapToInt(Integer::intValue).toArray();
  }
}
