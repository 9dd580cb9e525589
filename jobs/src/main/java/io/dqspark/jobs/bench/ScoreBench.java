package io.dqspark.jobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.dqspark.engine.CpuInfo;
import io.dqspark.jobs.DqCli;
import io.dqspark.jobs.common.Json;
import io.dqspark.jobs.common.SparkSessions;
import io.dqspark.jobs.generate.GenerateJob;
import io.dqspark.jobs.ingest.IngestJob;
import io.dqspark.jobs.score.ScoreJob;
import io.dqspark.jobs.score.ScoringEngine;
import io.dqspark.util.DqInputException;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/dq bench score}: the integer engine against the same model's FP32 network in Spark
 * scoring, end to end. It trains a small Degree-Quant GCN ({@link BenchModel}), publishes it,
 * generates and ingests an R-MAT graph, and runs {@code bin/dq score} itself ({@link ScoreJob}, in
 * this JVM) with {@code --engine int8} and {@code --engine fp32}, reading each run's wall time and
 * Spark-measured shuffle bytes from its {@code scores.json}. Both engines first score the small
 * training graph untimed, so neither pays for JIT warm-up or the model load.
 */
@Command(name = "score", mixinStandardHelpOptions = true,
    description = {"INT8 vs FP32 Spark scoring (bin/dq score --engine int8|fp32) of a generated R-MAT graph: "
        + "trains and publishes a small GCN, scores the graph with both engines, prints wall time and bytes "
        + "shuffled between layers with the int8/fp32 ratios.",
        "JSON rows: engine, scale, parts, wall_s, shuffle_bytes, layer_seconds, layer_shuffle_bytes, "
        + "shuffle_bytes_all_stages, stage_seconds, test_accuracy, run, cpu."})
public final class ScoreBench implements Callable<Integer> {
  /** Marks a scratch folder as this benchmark's, so a later run may empty it. */
  private static final String MARKER = ".dq-bench-score";

  @Option(names = "--scale", paramLabel = "S", defaultValue = "20",
      description = "R-MAT scale of the scored graph: 2^scale nodes (default: ${DEFAULT-VALUE}).")
  int scale;

  @Option(names = "--parts", paramLabel = "K", defaultValue = "8",
      description = "Parts the graph is scored in (default: ${DEFAULT-VALUE}).")
  int parts;

  @Option(names = "--json", paramLabel = "FILE",
      description = "Also write the rows to FILE (replaced whole).")
  String json;

  @Option(names = "--edge-factor", paramLabel = "N", defaultValue = "16",
      description = "R-MAT edges per node before cleaning (default: ${DEFAULT-VALUE}).")
  int edgeFactor;

  @Option(names = "--feature-width", paramLabel = "F", defaultValue = "64",
      description = "Features per node (default: ${DEFAULT-VALUE}).")
  int featureWidth;

  @Option(names = "--hidden", paramLabel = "H", defaultValue = "64",
      description = "Hidden width of the GCN (default: ${DEFAULT-VALUE}).")
  int hidden;

  @Option(names = "--classes", paramLabel = "C", defaultValue = "4",
      description = "Classes: a node's label is the argmax of its first C features (default: ${DEFAULT-VALUE}).")
  int classes;

  @Option(names = "--train-scale", paramLabel = "S", defaultValue = "10",
      description = "R-MAT scale of the training graph (default: ${DEFAULT-VALUE}).")
  int trainScale;

  @Option(names = "--epochs", paramLabel = "N", defaultValue = "20",
      description = "Training epochs (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--repetitions", paramLabel = "N", defaultValue = "2",
      description = "Timed runs per engine, alternating int8 and fp32; ratios use each engine's best, since "
          + "the warm-up on the small graph leaves some kernels to be compiled in the first timed run "
          + "(default: ${DEFAULT-VALUE}).")
  int repetitions;

  @Option(names = "--seed", paramLabel = "SEED", defaultValue = "1",
      description = "Seed of the graphs and training (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--work", paramLabel = "DIR", defaultValue = "/tmp/dq-bench-score",
      description = "Scratch folder: new, or one an earlier bench score left (emptied first) "
          + "(default: ${DEFAULT-VALUE}).")
  String work;

  @Option(names = "--keep", description = "Keep the scratch folder (default: delete it at the end).")
  boolean keep;

  @Override
  public Integer call() throws IOException {
    check(scale >= 1 && scale <= 30, "--scale must be in 1..30, got " + scale);
    check(parts >= 1, "--parts must be >= 1, got " + parts);
    check(trainScale >= 6 && trainScale <= 20, "--train-scale must be in 6..20, got " + trainScale);
    check(epochs >= 1, "--epochs must be >= 1, got " + epochs);
    check(hidden >= 1, "--hidden must be >= 1, got " + hidden);
    check(classes >= 2 && classes <= featureWidth,
        "--classes must be in 2..--feature-width (" + featureWidth + "), got " + classes);
    check(repetitions >= 1, "--repetitions must be >= 1, got " + repetitions);
    File dir = new File(work);
    String[] existing = dir.list();
    check(existing == null || existing.length == 0 || new File(dir, MARKER).exists(), "--work " + work
        + " holds files this benchmark did not write; give a new or empty folder (it is emptied and deleted)");
    ScaleBench.deleteRecursively(dir);
    check(dir.mkdirs() && new File(dir, MARKER).createNewFile(), "--work " + work + ": cannot create the folder");
    SparkSession spark = SparkSessions.getOrCreate("dq bench score");
    try {
      return run(spark);
    } finally {
      if (!keep) {
        ScaleBench.deleteRecursively(dir);
      }
    }
  }

  private int run(SparkSession spark) throws IOException {
    String train = work + "/train";
    String raw = work + "/rmat" + scale + "-raw";
    String graph = work + "/rmat" + scale;
    stage(new GenerateJob(), "--scale", "" + trainScale, "--edge-factor", "" + edgeFactor, "--feature-width",
        "" + featureWidth, "--classes", "" + classes, "--seed", "" + (seed + 1), "--out", train);
    BenchModel.Published model = BenchModel.trainAndPublish(spark.sparkContext().hadoopConfiguration(), train,
        work + "/models", "rmat-gcn", new BenchModel.Settings(hidden, epochs, seed));
    System.out.printf("bench score: DQ INT8 GCN %d-%d-%d trained %d epochs on R-MAT scale %d "
            + "(test accuracy %.3f) -> %s%n",
        featureWidth, hidden, classes, epochs, trainScale, model.testAccuracy(), model.dir());
    stage(new GenerateJob(), "--scale", "" + scale, "--edge-factor", "" + edgeFactor, "--feature-width",
        "" + featureWidth, "--classes", "" + classes, "--seed", "" + seed, "--out", raw);
    stage(new IngestJob(), "--input", raw, "--input-format", "parquet", "--name", "rmat" + scale, "--out", graph);
    for (ScoringEngine e : ScoringEngine.values()) { // warm-up: JIT and model loads, untimed
      score(e, model, train, work + "/warmup-" + e.label());
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int run = 1; run <= repetitions; run++) {
      for (ScoringEngine e : ScoringEngine.values()) {
        JsonNode report = score(e, model, graph, work + "/scores-" + e.label() + "-" + run);
        rows.add(row(e, run, report));
      }
    }
    printTable(rows);
    if (json != null) {
      JsonFile.write(json, rows);
      System.out.println("rows -> " + json);
    }
    return 0;
  }

  /** Runs {@code bin/dq score} on {@code input} and returns its scores.json. */
  private JsonNode score(ScoringEngine engine, BenchModel.Published model, String input, String out)
      throws IOException {
    stage(new ScoreJob(), "--model", model.dir().toString(), "--input", input, "--input-format", "parquet",
        "--parts", "" + parts, "--engine", engine.label(), "--out", out);
    return Json.mapper().readTree(new File(out, "scores.json"));
  }

  private Map<String, Object> row(ScoringEngine engine, int run, JsonNode report) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("engine", engine.label());
    r.put("scale", scale);
    r.put("parts", parts);
    r.put("wall_s", report.get("wall_s").asDouble());
    r.put("shuffle_bytes", report.get("shuffle_bytes").asLong());
    r.put("layer_seconds", Json.mapper().convertValue(report.get("layer_seconds"), List.class));
    r.put("layer_shuffle_bytes", Json.mapper().convertValue(report.get("layer_shuffle_bytes"), List.class));
    r.put("shuffle_bytes_all_stages", report.get("shuffle_bytes_all_stages").asLong());
    r.put("nodes", report.get("nodes").asLong());
    r.put("test_accuracy", report.get("test_accuracy").isNull() ? null : report.get("test_accuracy").asDouble());
    r.put("run", run);
    r.put("edge_factor", edgeFactor);
    r.put("feature_width", featureWidth);
    r.put("hidden", hidden);
    r.put("stage_seconds", Json.mapper().convertValue(report.get("stage_seconds"), Map.class));
    r.put("cpu", CpuInfo.get().summary());
    return r;
  }

  private void printTable(List<Map<String, Object>> rows) {
    System.out.println();
    System.out.printf("R-MAT scale %d (edge factor %d, %d features), GCN %d-%d-%d, %d parts; %s%n",
        scale, edgeFactor, featureWidth, featureWidth, hidden, classes, parts, CpuInfo.get().summary());
    System.out.println("| engine | run | wall s | layer s | shuffled between layers MB | all shuffles MB "
        + "| test accuracy |");
    System.out.println("|---|---:|---:|---|---:|---:|---:|");
    for (Map<String, Object> r : rows) {
      System.out.printf("| %s | %d | %.2f | %s | %.2f | %.2f | %s |%n", r.get("engine"), r.get("run"), r.get("wall_s"),
          r.get("layer_seconds"), (Long) r.get("shuffle_bytes") / 1e6, (Long) r.get("shuffle_bytes_all_stages") / 1e6,
          r.get("test_accuracy"));
    }
    Map<String, Object> int8 = best(rows, "int8");
    Map<String, Object> fp32 = best(rows, "fp32");
    System.out.printf("int8/fp32 (best run of each): wall %.2fx (target <= 0.70), bytes shuffled between layers %.2fx "
            + "(target <= 0.35)%n", (Double) int8.get("wall_s") / (Double) fp32.get("wall_s"),
        (double) (Long) int8.get("shuffle_bytes") / (Long) fp32.get("shuffle_bytes"));
  }

  private static Map<String, Object> best(List<Map<String, Object>> rows, String engine) {
    return rows.stream().filter(r -> engine.equals(r.get("engine")))
        .min(Comparator.comparingDouble(r -> (Double) r.get("wall_s"))).orElseThrow();
  }

  /** Runs one job through its command line in this JVM (sharing the Spark session). */
  private static void stage(Object job, String... args) {
    int code = DqCli.commandLine(job).execute(args);
    if (code != 0) {
      throw new IllegalStateException("bench score: " + job.getClass().getSimpleName() + " " + String.join(" ", args)
          + " failed with exit code " + code + " (its error is printed above)");
    }
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new DqInputException(message);
    }
  }
}
