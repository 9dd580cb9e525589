package io.dqspark.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One line of a reproduction table: a dataset x architecture x variant over several runs (seeds
 * or folds). Accuracies are percentages; {@code method} is {@code fp32} for FP32 rows.
 */
public record ResultRow(
    @JsonProperty("dataset") String dataset,
    @JsonProperty("arch") String arch,
    @JsonProperty("precision") String precision,
    @JsonProperty("method") String method,
    @JsonProperty("runs") int runs,
    @JsonProperty("test_accuracy_mean") double testAccuracyMean,
    @JsonProperty("test_accuracy_std") double testAccuracyStd,
    @JsonProperty("epochs_mean") double epochsMean,
    @JsonProperty("best_epoch_mean") double bestEpochMean,
    @JsonProperty("seconds_per_epoch") double secondsPerEpoch,
    @JsonProperty("test_accuracies") List<Double> testAccuracies) {

  /** Summarises runs: mean and population standard deviation (as the reference's numpy std). */
  public static ResultRow of(String dataset, Architecture arch, Variant variant, List<RunResult> runs) {
    if (runs.isEmpty()) {
      throw new IllegalArgumentException("no runs for " + dataset + " " + arch.label() + " " + variant);
    }
    int n = runs.size();
    double[] acc = runs.stream().mapToDouble(r -> 100 * r.testAccuracy()).toArray();
    double mean = java.util.Arrays.stream(acc).average().orElseThrow();
    double var = java.util.Arrays.stream(acc).map(a -> (a - mean) * (a - mean)).sum() / n;
    return new ResultRow(dataset, arch.label(), variant.precision(), variant.method(), n, mean,
        Math.sqrt(var),
        runs.stream().mapToInt(RunResult::epochs).average().orElseThrow(),
        runs.stream().mapToInt(RunResult::bestEpoch).average().orElseThrow(),
        runs.stream().mapToDouble(RunResult::secondsPerEpoch).average().orElseThrow(),
        java.util.Arrays.stream(acc).boxed().toList());
  }
}
