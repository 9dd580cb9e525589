package io.dqspark.jobs.bench;

import picocli.CommandLine.Command;

/** {@code bin/dq bench ...}: benchmarks that print ratios and rates from one run. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmarks (not tests): print throughput tables from one run.",
    subcommands = {ScaleBench.class, InferenceBench.class, ScoreBench.class, io.dqspark.jobs.train.TrainBench.class,
        io.dqspark.jobs.train.AccuracyBench.class,
        PartitionBench.class})
public final class BenchCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
