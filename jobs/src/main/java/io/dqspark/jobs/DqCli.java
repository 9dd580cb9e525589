package io.dqspark.jobs;

import io.dqspark.jobs.bench.BenchCommand;
import io.dqspark.jobs.common.ProcessReport;
import io.dqspark.jobs.generate.GenerateJob;
import io.dqspark.jobs.ingest.EdgeLineError;
import io.dqspark.jobs.ingest.IngestJob;
import io.dqspark.jobs.partition.PartitionJob;
import io.dqspark.jobs.pipeline.PipelineJob;
import io.dqspark.jobs.stats.StatsJob;
import io.dqspark.util.DqInputException;
import java.io.PrintWriter;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code bin/dq}: every job as a subcommand. Bad input ends with one clear line and exit code 2;
 * anything else is a bug and prints its stack trace (exit code 1).
 */
@Command(name = "dq", mixinStandardHelpOptions = true, version = "degree-quant-spark 0.1.0",
    description = "Degree-Quant GNN training and integer inference on Spark.",
    footer = {"", "bin/dq shell [FILE.jsh] starts jshell with these classes, Spark, GraphFrames and Spark's JVM flags"
        + " (bin/dq itself handles it, before Java starts)."},
    subcommands = {PipelineJob.class, IngestJob.class, StatsJob.class, PartitionJob.class, GenerateJob.class,
        io.dqspark.jobs.train.TrainJob.class, io.dqspark.jobs.train.RetrainJob.class,
        io.dqspark.jobs.score.ScoreJob.class,
        BenchCommand.class, io.dqspark.jobs.reproduce.ReproduceCommand.class})
public final class DqCli implements Runnable {
  public static final int INPUT_ERROR = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    io.dqspark.jobs.common.NativeMemoryLimits.apply();
    exit(runAndStop(new DqCli(), args));
  }

  /** A command line with the project's settings and error handling. */
  public static CommandLine commandLine(Object command) {
    CommandLine cl = new CommandLine(command);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
      DqInputException input = asInputError(e);
      PrintWriter err = cmd.getErr();
      if (input != null) {
        err.println("dq " + cmd.getCommandName() + ": error: " + input.getMessage());
        err.flush();
        return INPUT_ERROR;
      }
      e.printStackTrace(err);
      err.flush();
      return 1;
    });
    return cl;
  }

  /** Runs a command and then stops the Spark session it may have started (process entry points). */
  public static int runAndStop(Object command, String[] args) {
    try {
      return commandLine(command).execute(args);
    } finally {
      SparkSession session = currentSession();
      if (session != null) {
        session.stop();
      }
    }
  }

  public static void exit(int code) {
    ProcessReport.writeIfRequested(code);
    System.out.flush();
    System.exit(code);
  }

  /** The bad-input error inside a (possibly Spark-wrapped) failure, or null for a bug. */
  static DqInputException asInputError(Throwable e) {
    EdgeLineError line = EdgeLineError.find(e);
    if (line != null) {
      SparkSession session = currentSession();
      Configuration conf = session != null ? session.sparkContext().hadoopConfiguration() : new Configuration();
      return line.toInputException(conf);
    }
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof DqInputException) {
        return (DqInputException) c;
      }
    }
    return null;
  }

  private static SparkSession currentSession() {
    if (SparkSession.getActiveSession().isDefined()) {
      return SparkSession.getActiveSession().get();
    }
    return SparkSession.getDefaultSession().isDefined() ? SparkSession.getDefaultSession().get() : null;
  }
}
