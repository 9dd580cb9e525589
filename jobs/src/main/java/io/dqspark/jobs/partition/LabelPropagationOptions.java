package io.dqspark.jobs.partition;

import io.dqspark.util.DqInputException;
import picocli.CommandLine.Option;

/**
 * The balanced label propagation's settings as command-line options (a picocli mixin), shared by
 * the partition job and {@code bench partition} so that the benchmark measures the job's defaults.
 */
public final class LabelPropagationOptions {
  @Option(names = "--balance", defaultValue = "0.05",
      description = "One big graph: allowed deviation of a part's node count from the mean (default: ${DEFAULT-VALUE}).")
  public double balance;

  @Option(names = "--max-rounds", defaultValue = "30",
      description = "One big graph: label propagation rounds at most (default: ${DEFAULT-VALUE}).")
  public int maxRounds;

  @Option(names = "--lambda", defaultValue = "1.0",
      description = "One big graph: weight of the load penalty against neighbour locality (default: ${DEFAULT-VALUE}).")
  public double lambda;

  @Option(names = "--seed", defaultValue = "42",
      description = "Seed of the label propagation's moves and of the hash baseline (default: ${DEFAULT-VALUE}).")
  public long seed;

  /** The settings for {@code parts} parts; out-of-range options are errors naming the option. */
  public BalancedLabelPropagation.Settings settings(int parts) {
    if (!(balance > 0 && balance < 1)) {
      throw new DqInputException("--balance must be in (0, 1), got " + balance);
    }
    if (maxRounds < 1) {
      throw new DqInputException("--max-rounds must be >= 1, got " + maxRounds);
    }
    return new BalancedLabelPropagation.Settings(parts, maxRounds, balance, lambda, seed,
        BalancedLabelPropagation.STOP_FRACTION);
  }
}
