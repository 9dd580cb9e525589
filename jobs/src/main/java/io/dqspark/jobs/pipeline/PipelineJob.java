package io.dqspark.jobs.pipeline;

import io.dqspark.jobs.DqCli;
import io.dqspark.jobs.ingest.IngestJob;
import io.dqspark.jobs.partition.PartitionJob;
import io.dqspark.jobs.pipeline.report.ReportPublisher;
import io.dqspark.jobs.pipeline.report.ReportWriter;
import io.dqspark.jobs.pipeline.report.RunReport;
import io.dqspark.jobs.stats.StatsJob;
import io.dqspark.stats.DegreeSummary;
import io.dqspark.util.DqInputException;
import io.dqspark.util.HadoopFiles;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the stages that exist so far, ingest -> stats -> partition, each through its own command
 * (so the pipeline cannot drift from what the stage jobs do), into {@code OUT/ingested},
 * {@code OUT/stats} and {@code OUT/parts}, each published atomically, then writes
 * {@code OUT/report.md} and a self-contained {@code OUT/report.html} with their charts.
 */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
    description = "Run ingest -> stats -> partition on one dataset (training and export come with later stages).")
public final class PipelineJob implements Callable<Integer> {
  @Option(names = "--input", defaultValue = "data/planetoid/cora",
      description = "Input dataset (default: the bundled Cora, ${DEFAULT-VALUE}).")
  String input;

  @Option(names = "--input-format", defaultValue = "auto", description = "As for ingest (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--name", description = "Dataset name (default: from the path).")
  String name;

  @Option(names = "--parts", defaultValue = "2", description = "Training shards (default: ${DEFAULT-VALUE}).")
  int parts;

  @Option(names = "--p-low", defaultValue = "0.0", description = "Protection probability floor (default: ${DEFAULT-VALUE}).")
  double pLow;

  @Option(names = "--p-high", defaultValue = "0.1", description = "Protection probability ceiling (default: ${DEFAULT-VALUE}).")
  double pHigh;

  @Option(names = "--out", required = true, description = "Run folder; each stage writes a subfolder.")
  String out;

  @Option(names = "--overwrite", description = "Replace the stage outputs of an earlier run.")
  boolean overwrite;

  public static void main(String[] args) {
    DqCli.exit(DqCli.runAndStop(new PipelineJob(), args));
  }

  @Override
  public Integer call() {
    String ingested = out + "/ingested";
    String stats = out + "/stats";
    String parts = out + "/parts";
    List<String> source = new ArrayList<>(List.of("--input", input, "--input-format", format));
    if (name != null) {
      source.addAll(List.of("--name", name));
    }
    RunReport report = new RunReport("degree-quant-spark pipeline: " + (name != null ? name : input));
    report.fact("input: " + input + " (" + format + ")");
    report.fact("output: " + out);
    report.stage("ingest", stage(1, new IngestJob(), concat(source, "--out", ingested)));
    report.stage("stats", stage(2, new StatsJob(), List.of("--input", ingested, "--p-low", "" + pLow, "--p-high", "" + pHigh, "--out", stats)));
    report.stage("partition", stage(3, new PartitionJob(), List.of("--input", stats, "--parts", "" + this.parts, "--out", parts)));
    HadoopFiles files = HadoopFiles.withDefaults();
    String statsJson = stats + "/stats.json";
    String summary = new String(files.readAll(new Path(statsJson), "stats summary"), StandardCharsets.UTF_8);
    report.degrees(DegreeSummary.fromJson(summary, statsJson));
    ReportPublisher.publish(files.conf(), out, ReportWriter.render(report));
    System.out.println("pipeline done: " + ingested + ", " + stats + ", " + parts + "; report: "
        + out + "/" + ReportWriter.MARKDOWN + ", " + out + "/" + ReportWriter.HTML);
    return 0;
  }

  /** Runs one stage through its own command line; returns its wall time in seconds. */
  private double stage(int number, Object job, List<String> args) {
    String stageName = job.getClass().getAnnotation(Command.class).name();
    List<String> all = new ArrayList<>(args);
    if (overwrite) {
      all.add("--overwrite");
    }
    System.out.printf("[%d/3] %s %s%n", number, stageName, String.join(" ", all));
    long start = System.nanoTime();
    CommandLine cl = DqCli.commandLine(job);
    int code = cl.execute(all.toArray(new String[0]));
    if (code != 0) {
      throw new DqInputException("stage " + stageName + " failed (exit code " + code + "); later stages not run");
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("[%d/3] %s done in %.1f s%n", number, stageName, seconds);
    return seconds;
  }

  private static List<String> concat(List<String> head, String... tail) {
    List<String> all = new ArrayList<>(head);
    all.addAll(List.of(tail));
    return all;
  }
}
