package io.dqspark.jobs.ml;

import io.dqspark.jobs.DqCli;
import io.dqspark.jobs.ingest.IngestJob;
import io.dqspark.jobs.partition.PartitionJob;
import io.dqspark.jobs.stats.StatsJob;
import io.dqspark.stats.ProtectionRule;
import io.dqspark.util.DqInputException;
import java.util.List;

/**
 * Prepares the training shards of a fit from its canonical tables with the jobs themselves:
 * ingest (validation and the cleaning rule), stats (in-degree and mask probabilities with the
 * fit's protection range) and partition. The same stages as {@code bin/dq pipeline}, run here
 * rather than through the train job's own preparation because the estimator also sets the label
 * propagation rounds, the partition stage's main cost.
 */
final class TrainingShards {
  private TrainingShards() {}

  /** @return the partition output folder, the train job's {@code shards} */
  static String prepare(String input, String work, int parts, ProtectionRule rule, int maxRounds, long seed) {
    String ingested = work + "/ingested";
    String stats = work + "/stats";
    String shards = work + "/parts";
    run(new IngestJob(), "--input", input, "--input-format", "auto", "--name", "graph", "--out", ingested);
    run(new StatsJob(), "--input", ingested, "--p-low", "" + rule.pLow(), "--p-high", "" + rule.pHigh(),
        "--out", stats);
    run(new PartitionJob(), "--input", stats, "--parts", "" + parts, "--max-rounds", "" + maxRounds,
        "--seed", "" + seed, "--out", shards);
    return shards;
  }

  private static void run(Object job, String... args) {
    int code = DqCli.commandLine(job).execute(args);
    if (code != 0) {
      String name = job.getClass().getSimpleName();
      throw new DqInputException("preparing the training shards: " + name + " " + String.join(" ", List.of(args))
          + " failed (exit code " + code + "; its error is printed above)");
    }
  }
}
