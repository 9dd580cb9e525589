package io.dqspark.jobs.reproduce;

import io.dqspark.graph.GraphDataset;
import io.dqspark.graph.GraphLevel;
import io.dqspark.train.CrossValidationFolds;
import io.dqspark.train.Fold;
import io.dqspark.train.GraphClassificationRun;
import io.dqspark.train.GraphReproduction;
import io.dqspark.train.Grid;
import io.dqspark.util.HadoopFiles;
import io.dqspark.train.NodeReproduction;
import io.dqspark.train.ResultRow;
import io.dqspark.train.ResultTable;
import io.dqspark.train.TrainingOptions;
import io.dqspark.util.DqInputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code bin/dq reproduce}: the paper's accuracy grid in one JVM (no Spark): node classification
 * over seeds on the standard split, graph classification over 10-fold cross-validation.
 */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
    description = "Train a dataset x architecture x precision x method grid; print a markdown table, write JSON.")
public final class ReproduceCommand implements Callable<Integer> {
  /** Seed of the stratified folds of datasets without published splits. */
  static final long FOLD_SEED = 12345;

  @Spec CommandSpec spec;

  @Option(names = "--dataset", required = true,
      description = "A bundled Planetoid name (cora) or a Planetoid / TU folder.")
  String dataset;

  @Option(names = "--arch", split = ",", defaultValue = "gcn", description = "gcn, gat, gin (default: ${DEFAULT-VALUE}).")
  List<String> archs;

  @Option(names = "--precision", split = ",", defaultValue = "fp32,int8,int4",
      description = "fp32, int8, int4 (default: ${DEFAULT-VALUE}).")
  List<String> precisions;

  @Option(names = "--method", split = ",", defaultValue = "qat,dq", description = "qat, dq (default: ${DEFAULT-VALUE}).")
  List<String> methods;

  @Option(names = "--seeds", defaultValue = "10", description = "Seeds per cell, node tasks (default: ${DEFAULT-VALUE}).")
  int seeds;

  @Option(names = "--folds", defaultValue = "10", description = "Cross-validation folds, graph tasks (default: ${DEFAULT-VALUE}).")
  int folds;

  @Option(names = "--epochs", description = "Epochs (default: 500 node tasks, 60 graph tasks).")
  Integer epochs;

  @Option(names = "--patience", description = "Stop after this many epochs without a lower validation loss (default 0 = never: plain QAT from scratch plateaus for 100+ epochs while its moving-average ranges catch up, and an early stop there would misreport it).")
  Integer patience;

  @Option(names = "--batch-size", description = "Graphs per mini-batch, graph tasks (default: 128).")
  Integer batchSize;

  @Option(names = "--lr", description = "Initial learning rate (default: the architecture's published one for node tasks; for graph tasks 0.01 at FP32, 0.005 at INT8, 0.001 at INT4, QAT and DQ alike).")
  Double learningRate;

  @Option(names = "--splits", description = "Cross-validation splits JSON (default: splits/NAME_splits.json beside the TU folder, else stratified folds).")
  Path splits;

  @Option(names = "--json", description = "Write the rows as JSON to this file (atomically).")
  Path json;

  @Override
  public Integer call() {
    try {
      Grid grid = Grid.of(archs, precisions, methods);
      DatasetSource source = DatasetSource.resolve(dataset);
      GraphDataset data = source.load();
      PrintWriter out = spec.commandLine().getOut();
      Consumer<String> progress = line -> {
        out.println(line);
        out.flush();
      };
      List<ResultRow> rows;
      if (data.level() == GraphLevel.NODE) {
        rows = new NodeReproduction(data, source.label(), source.planetoid())
            .run(grid, seeds, this::override, progress);
      } else {
        rows = new GraphReproduction(data, source.label(), folds(source, data, progress))
            .run(grid, this::override, progress);
      }
      out.println();
      out.print(ResultTable.markdown(rows));
      out.flush();
      if (json != null) {
        writeAtomically(json, ResultTable.json(rows));
        out.println("wrote " + json);
      }
      return 0;
    } catch (IllegalArgumentException e) {
      throw new DqInputException(e.getMessage());
    }
  }

  /**
   * The command line's overrides of a cell's options ({@link TrainingOptions#defaults} otherwise).
   */
  private void override(TrainingOptions o) {
    if (batchSize != null) {
      o.batchSize = batchSize;
    }
    if (learningRate != null) {
      o.learningRate = learningRate;
    }
    if (epochs != null) {
      o.epochs = epochs;
    }
    if (patience != null) {
      o.patience = patience;
    }
  }

  /** The published folds when there are some (the first {@code --folds}), else stratified ones. */
  private List<Fold> folds(DatasetSource source, GraphDataset data, Consumer<String> progress) {
    if (folds < 2) {
      throw new DqInputException("--folds must be >= 2, got " + folds);
    }
    Path file = splits != null ? splits : source.splitsFile().orElse(null);
    if (file != null) {
      List<Fold> all = CrossValidationFolds.read(HadoopFiles.withDefaults(),
          file.toAbsolutePath().toString(), data.graphs().size());
      if (folds > all.size()) {
        throw new DqInputException("--folds " + folds + ": " + file + " has " + all.size() + " folds");
      }
      progress.accept("folds: " + file + (folds < all.size() ? " (first " + folds + ")" : ""));
      return all.subList(0, folds);
    }
    progress.accept("folds: stratified, " + folds + " folds, seed " + FOLD_SEED);
    return CrossValidationFolds.stratified(new GraphClassificationRun(data).graphLabels(), folds, FOLD_SEED);
  }

  private static void writeAtomically(Path target, String text) {
    Path abs = target.toAbsolutePath();
    try {
      Files.createDirectories(abs.getParent());
      Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp");
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new DqInputException("--json " + target + ": cannot write: " + e.getMessage());
    }
  }
}
