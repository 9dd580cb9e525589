package io.dqspark.jobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.dqspark.jobs.DqCli;
import io.dqspark.jobs.common.Json;
import io.dqspark.jobs.common.ProcessReport;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Generates R-MAT graphs and runs ingest, stats and partition on them, each stage in its own JVM
 * in local mode so that its peak memory (VmHWM) and wall time are its own. Prints a markdown table.
 */
@Command(name = "scale", mixinStandardHelpOptions = true,
    description = "R-MAT scale benchmark: generate, ingest, stats (and partition) per scale.")
public final class ScaleBench implements Callable<Integer> {
  @Option(names = "--scales", split = ",", defaultValue = "20,22,24", description = "R-MAT scales (default: ${DEFAULT-VALUE}).")
  List<Integer> scales;

  @Option(names = "--partition-scales", split = ",", defaultValue = "20,22",
      description = "Scales to also partition (default: ${DEFAULT-VALUE}).")
  List<Integer> partitionScales;

  @Option(names = "--edge-factor", defaultValue = "16", description = "Edges per node (default: ${DEFAULT-VALUE}).")
  int edgeFactor;

  @Option(names = "--feature-width", defaultValue = "16", description = "Features per node (default: ${DEFAULT-VALUE}).")
  int featureWidth;

  @Option(names = "--parts", defaultValue = "8", description = "Parts for partition (default: ${DEFAULT-VALUE}).")
  int parts;

  @Option(names = "--memory", defaultValue = "16g", description = "Heap of each stage's JVM (default: ${DEFAULT-VALUE}).")
  String memory;

  @Option(names = "--shuffle-partitions", defaultValue = "400",
      description = "spark.sql.shuffle.partitions of each stage: enough for shuffles to spill in pieces (default: ${DEFAULT-VALUE}).")
  int shufflePartitions;

  @Option(names = "--work", defaultValue = "/tmp/dq-bench", description = "Scratch folder (default: ${DEFAULT-VALUE}).")
  String work;

  @Option(names = "--keep", description = "Keep each scale's outputs (default: delete them after the scale).")
  boolean keep;

  private record Row(int scale, String stage, long edges, double seconds, long peakRssKb) {}

  @Override
  public Integer call() throws Exception {
    List<Row> rows = new ArrayList<>();
    for (int scale : scales) {
      String dir = work + "/rmat" + scale;
      deleteRecursively(new File(dir));
      long edges = (1L << scale) * edgeFactor;
      rows.add(stage(scale, "generate", edges, "generate", "--scale", "" + scale, "--edge-factor", "" + edgeFactor,
          "--feature-width", "" + featureWidth, "--out", dir + "/raw"));
      rows.add(stage(scale, "ingest", edges, "ingest", "--input", dir + "/raw", "--input-format", "parquet",
          "--name", "rmat" + scale, "--out", dir + "/ingested"));
      rows.add(stage(scale, "stats", edges, "stats", "--input", dir + "/ingested", "--p-low", "0", "--p-high", "0.1",
          "--out", dir + "/stats"));
      if (partitionScales.contains(scale)) {
        rows.add(stage(scale, "partition", edges, "partition", "--input", dir + "/stats", "--parts", "" + parts,
            "--out", dir + "/parts"));
      }
      if (!keep) {
        deleteRecursively(new File(dir));
      }
    }
    System.out.println();
    System.out.printf("R-MAT edge factor %d, %d features, %d cores, stage JVM heap %s%n", edgeFactor, featureWidth,
        Runtime.getRuntime().availableProcessors(), memory);
    System.out.println("| scale | stage | generated edges | wall s | M edges/s | peak RSS GB |");
    System.out.println("|---:|---|---:|---:|---:|---:|");
    for (Row r : rows) {
      System.out.printf("| %d | %s | %,d | %.1f | %.2f | %.1f |%n", r.scale(), r.stage(), r.edges(), r.seconds(),
          r.edges() / r.seconds() / 1e6, r.peakRssKb() / 1048576.0);
    }
    return 0;
  }

  private Row stage(int scale, String name, long edges, String... args) throws IOException, InterruptedException {
    Path report = Files.createTempFile("dq-bench-", ".json");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!a.startsWith("-Xmx") && !a.startsWith("-Xms") && !a.startsWith("-D" + ProcessReport.PROPERTY)
          && !a.startsWith("-Dspark.sql.shuffle.partitions")) {
        cmd.add(a);
      }
    }
    cmd.add("-Xmx" + memory);
    cmd.add("-Dspark.sql.shuffle.partitions=" + shufflePartitions);
    cmd.add("-D" + ProcessReport.PROPERTY + "=" + report);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(DqCli.class.getName());
    cmd.addAll(List.of(args));
    System.out.printf("== scale %d: %s%n", scale, name);
    Process p = new ProcessBuilder(cmd).inheritIO().start();
    int code = p.waitFor();
    JsonNode r = Json.mapper().readTree(report.toFile());
    Files.deleteIfExists(report);
    if (code != 0) {
      throw new IllegalStateException("scale " + scale + " " + name + " failed with exit code " + code);
    }
    return new Row(scale, name, edges, r.get("wall_seconds").asDouble(), r.get("peak_rss_kb").asLong());
  }

  static void deleteRecursively(File f) {
    File[] children = f.listFiles();
    if (children != null) {
      for (File c : children) {
        deleteRecursively(c);
      }
    }
    f.delete();
  }
}
