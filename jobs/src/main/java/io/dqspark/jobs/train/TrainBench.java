package io.dqspark.jobs.train;

import io.dqspark.graph.GraphLevel;
import io.dqspark.jobs.common.Json;
import io.dqspark.jobs.common.SparkSessions;
import io.dqspark.train.GraphClassificationRun;
import io.dqspark.train.NodeClassificationRun;
import io.dqspark.train.RunResult;
import io.dqspark.train.TrainingOptions;
import io.dqspark.train.EpochListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bin/dq bench train}: training throughput of the data-parallel trainer for each number of
 * workers and averaging frequency, with the accuracy each reached, next to the single-JVM engine
 * on the same data, options and seed. Throughput counts the training rounds only (evaluation and
 * checkpoints excluded): nodes of the whole graph per second for one big graph, training graphs
 * per second for graph-level data.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Training throughput for 1..N workers and several averaging frequencies, with accuracy.")
public final class TrainBench implements Callable<Integer> {
  @Mixin TrainCommandOptions options;

  @Option(names = "--workers-list", split = ",", defaultValue = "1,2", description = "Workers to try (default: ${DEFAULT-VALUE}).")
  List<Integer> workersList;

  @Option(names = "--frequencies", split = ",", defaultValue = "1,2,4",
      description = "Averaging frequencies to try (default: ${DEFAULT-VALUE}).")
  List<Integer> frequencies;

  @Option(names = "--no-reference", description = "Skip the single-JVM reference run.")
  boolean noReference;

  @Option(names = "--json", description = "Also write the rows as JSON to this file.")
  Path json;

  @Override
  public Integer call() throws Exception {
    SparkSession spark = SparkSessions.getOrCreate("dq bench train");
    List<Map<String, Object>> rows = new ArrayList<>();
    System.out.println("| trainer | workers | averaging every | epochs | train s | throughput | test acc | val acc |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
    DriverData driver = null;
    for (int w : workersList) {
      for (int k : frequencies) {
        TrainSettings s = options.settings();
        s.set("workers", "" + w, "--workers-list").set("averaging_frequency", "" + k, "--frequencies");
        // shards prepared once under --out; each run checkpoints to its own folder, removed after
        String checkpoints = options.out + "/.bench-checkpoint-" + UUID.randomUUID();
        TrainRun.Result r;
        try {
          r = TrainRun.run(spark, s, options.out, false, null, checkpoints, line -> {});
        } finally {
          new Checkpoints(spark.sparkContext().hadoopConfiguration(), checkpoints).clear();
        }
        driver = r.driver();
        Progress p = r.progress();
        rows.add(row("spark " + spark.sparkContext().master(), w, k, r.options().epochs, p.trainSeconds,
            throughput(r.driver(), r.options().epochs, p.trainSeconds), p.bestTestAccuracy,
            p.bestValidationAccuracy));
        writeJson(rows); // after every run: a long benchmark's rows survive a later failure
      }
    }
    if (!noReference && driver != null) {
      TrainSettings s = options.settings();
      TrainingOptions o = TrainRun.options(s, driver.level == GraphLevel.GRAPH);
      long t0 = System.nanoTime();
      RunResult ref = driver.level == GraphLevel.NODE
          ? new NodeClassificationRun(driver.data, driver.rowNormalize).run(o)
          : new GraphClassificationRun(driver.data).run(driver.fold, o, EpochListener.NONE);
      double seconds = ref.secondsPerEpoch() * ref.epochs();
      rows.add(row("single JVM (engine)", 1, 0, ref.epochs(), seconds, throughput(driver, ref.epochs(), seconds),
          ref.testAccuracy(), ref.validationAccuracy()));
      System.err.printf("reference wall %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }
    writeJson(rows);
    return 0;
  }

  private void writeJson(List<Map<String, Object>> rows) {
    if (json != null) {
      io.dqspark.jobs.bench.JsonFile.write(json.toString(), rows);
    }
  }

  private static double throughput(DriverData d, int epochs, double seconds) {
    long items = d.level == GraphLevel.NODE ? d.data.vertices().size() : d.fold.train().length;
    return items * (double) epochs / seconds;
  }

  private static Map<String, Object> row(String trainer, int workers, int k, int epochs, double seconds,
      double throughput, double test, double val) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("trainer", trainer);
    m.put("workers", workers);
    m.put("averaging_frequency", k);
    m.put("epochs", epochs);
    m.put("train_seconds", seconds);
    m.put("throughput_per_s", throughput);
    m.put("test_accuracy", test);
    m.put("validation_accuracy", val);
    System.out.printf("| %s | %d | %s | %d | %.1f | %.0f | %.4f | %.4f |%n", trainer, workers,
        k == 0 ? "-" : "" + k, epochs, seconds, throughput, test, val);
    return m;
  }
}
