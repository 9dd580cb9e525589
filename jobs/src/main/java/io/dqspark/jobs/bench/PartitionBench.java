package io.dqspark.jobs.bench;

import static io.dqspark.jobs.common.GraphSchemas.DST;
import static io.dqspark.jobs.common.GraphSchemas.ID;
import static io.dqspark.jobs.common.GraphSchemas.SRC;
import static org.apache.spark.sql.functions.col;

import io.dqspark.engine.CpuInfo;
import io.dqspark.graph.GraphLevel;
import io.dqspark.jobs.common.SparkGraph;
import io.dqspark.jobs.common.SparkSessions;
import io.dqspark.jobs.ingest.GraphReader;
import io.dqspark.jobs.ingest.InputOptions;
import io.dqspark.jobs.partition.BalancedLabelPropagation;
import io.dqspark.jobs.partition.LabelPropagationOptions;
import io.dqspark.util.DqInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bin/dq bench partition}: the partition job's balanced label propagation against
 * GraphFrames' label propagation packed into K parts, and the hash baseline, on one big graph
 * (design §3.4). Every method sees the same cached vertex ids and edges; each labelling is timed
 * once and then measured the same way ({@link PartitionComparison#quality}).
 */
@Command(name = "partition", mixinStandardHelpOptions = true,
    description = {"Balanced label propagation (the partition job's) vs GraphFrames' labelPropagation packed "
        + "into K parts vs hashing, on one big graph: parts, largest/smallest part, imbalance, edge cut, time.",
        "GraphFrames' communities are packed whole into K parts, largest first, each to the part with the "
        + "fewest nodes so far. Its time is the community search plus the packing.",
        "JSON rows: method, k, iterations, parts, max_part, min_part, imbalance, cut, seconds, cpu "
        + "(and dataset, nodes, edges, cut_edges, part_sizes, communities, largest_community_share, "
        + "lpa_seconds, pack_seconds)."})
public final class PartitionBench implements Callable<Integer> {
  @Mixin InputOptions input = new InputOptions();

  @Option(names = "--parts", paramLabel = "K", split = ",", defaultValue = "2,4,8",
      description = "Part counts (default: ${DEFAULT-VALUE}).")
  List<Integer> parts;

  @Option(names = "--gf-iterations", paramLabel = "N", split = ",", defaultValue = "5,10",
      description = "maxIter values of GraphFrames' labelPropagation (default: ${DEFAULT-VALUE}).")
  List<Integer> gfIterations;

  /** The partition job's own options and defaults, so the benchmark measures what the job runs. */
  @Mixin LabelPropagationOptions labelPropagation = new LabelPropagationOptions();

  @Option(names = "--no-warmup",
      description = "Skip the untimed warm-up (one round of each method), which keeps JIT compilation out of the "
          + "first timed run.")
  boolean noWarmup;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the rows to FILE (replaced whole).")
  String json;

  /** The machine's 1, 5 and 15 minute load averages when the run started (shared machines). */
  private String load = "unknown";

  @Override
  public Integer call() {
    check(!parts.isEmpty() && parts.stream().allMatch(k -> k >= 1), "--parts must be counts >= 1, got " + parts);
    check(!gfIterations.isEmpty() && gfIterations.stream().allMatch(n -> n >= 1),
        "--gf-iterations must be counts >= 1, got " + gfIterations);
    labelPropagation.settings(2); // refuses out-of-range options before Spark starts
    SparkSession spark = SparkSessions.getOrCreate("dq bench partition");
    SparkGraph graph = GraphReader.read(spark, input);
    check(graph.level() == GraphLevel.NODE, "--input " + input.input
        + " is graph-level data; bench partition compares partitionings of one big graph");
    Dataset<Row> ids = graph.vertices().select(col(ID)).persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> edges = graph.edges().select(col(SRC), col(DST)).persist(StorageLevel.MEMORY_AND_DISK());
    long n = ids.count();
    long m = edges.count();
    load = loadAverage();
    System.out.printf("bench partition: %s, %,d nodes, %,d directed edges; %s; load average at start %s%n",
        graph.name(), n, m, CpuInfo.get().summary(), load);
    if (!noWarmup) {
      warmUp(spark, ids, edges);
    }

    List<Map<String, Object>> rows = new ArrayList<>();
    for (int k : parts) {
      BalancedLabelPropagation.Settings settings = labelPropagation.settings(k);
      rows.add(row(graph.name(), PartitionComparison.hash(ids, k, settings.seed()), edges, n, m, null));
      PartitionComparison.Labelling b = PartitionComparison.balanced(ids, edges, settings);
      Map<String, Object> r = row(graph.name(), b, edges, n, m, null);
      r.put("max_iterations", settings.maxRounds());
      r.put("balance_bound", 1 + settings.eps());
      rows.add(r);
      System.out.printf("  balanced LPA, %d parts: %d rounds, %.1f s%n", k, b.iterations(), b.seconds());
    }
    for (int iterations : gfIterations) {
      PartitionComparison.Communities c = PartitionComparison.graphFramesCommunities(ids, edges, iterations);
      System.out.printf("  GraphFrames labelPropagation maxIter %d: %,d communities, the largest %,d nodes (%.1f%%), "
          + "%.1f s%n", iterations, c.count(), c.largest(), 100.0 * c.largest() / n, c.seconds());
      for (int k : parts) {
        rows.add(row(graph.name(), PartitionComparison.packCommunities(spark, c, k), edges, n, m, c));
      }
      c.labels().unpersist();
    }
    ids.unpersist();
    edges.unpersist();
    rows.sort(java.util.Comparator.comparingInt((Map<String, Object> r) -> (Integer) r.get("k"))
        .thenComparingInt(r -> methodOrder((String) r.get("method")))
        .thenComparingInt(r -> (Integer) r.get("iterations")));
    printTable(graph.name(), n, m, rows);
    if (json != null) {
      JsonFile.write(json, rows);
      System.out.println("rows -> " + json);
    }
    return 0;
  }

  /** One round of each method on two parts, untimed: JIT compilation and class loading. */
  private void warmUp(SparkSession spark, Dataset<Row> ids, Dataset<Row> edges) {
    long start = System.nanoTime();
    BalancedLabelPropagation.Settings two = labelPropagation.settings(2);
    PartitionComparison.balanced(ids, edges, new BalancedLabelPropagation.Settings(2, 1, two.eps(), two.lambda(),
        two.seed(), two.stopFraction()));
    PartitionComparison.Communities c = PartitionComparison.graphFramesCommunities(ids, edges, 1);
    PartitionComparison.Labelling packed = PartitionComparison.packCommunities(spark, c, 2);
    PartitionComparison.quality(packed.labels(), edges, 2);
    packed.labels().unpersist();
    c.labels().unpersist();
    System.out.printf("  warm-up (untimed): %.1f s%n", (System.nanoTime() - start) / 1e9);
  }

  /** Measures a labelling; {@code c} is the GraphFrames run it was packed from, null for the other methods. */
  private Map<String, Object> row(String dataset, PartitionComparison.Labelling l, Dataset<Row> edges, long n, long m,
      PartitionComparison.Communities c) {
    PartitionComparison.Quality q = PartitionComparison.quality(l.labels(), edges, l.k());
    l.labels().unpersist();
    if (q.nodes() != n || q.edges() != m) {
      throw new IllegalStateException(l.method() + " labelled " + q.nodes() + " of " + n + " nodes and "
          + q.edges() + " of " + m + " edges");
    }
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("method", l.method());
    r.put("k", l.k());
    r.put("iterations", l.iterations());
    r.put("parts", q.nonEmptyParts());
    r.put("max_part", q.maxPart());
    r.put("min_part", q.minPart());
    r.put("imbalance", q.imbalance());
    r.put("cut", q.cut());
    r.put("seconds", (c == null ? 0 : c.seconds()) + l.seconds());
    r.put("cpu", CpuInfo.get().summary());
    r.put("dataset", dataset);
    r.put("nodes", n);
    r.put("edges", m);
    r.put("cut_edges", q.cutEdges());
    r.put("part_sizes", q.sizes());
    r.put("load_average_at_start", load);
    if (c != null) {
      r.put("communities", c.count());
      r.put("largest_community", c.largest());
      r.put("largest_community_share", (double) c.largest() / n);
      r.put("lpa_seconds", c.seconds());
      r.put("pack_seconds", l.seconds());
    }
    return r;
  }

  private static int methodOrder(String method) {
    return switch (method) {
      case PartitionComparison.BALANCED -> 0;
      case PartitionComparison.GRAPHFRAMES -> 1;
      default -> 2;
    };
  }

  private void printTable(String name, long n, long m, List<Map<String, Object>> rows) {
    System.out.println();
    System.out.printf("%s (%,d nodes, %,d directed edges); %s; load average at start %s%n", name, n, m,
        CpuInfo.get().summary(), load);
    System.out.println("| method | k | iterations | parts | largest part | smallest part | imbalance (max/mean) "
        + "| edge cut | seconds | communities (largest share) |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    for (Map<String, Object> r : rows) {
      String communities = r.containsKey("communities")
          ? String.format("%,d (%.1f%%)", (Long) r.get("communities"), 100 * (Double) r.get("largest_community_share"))
          : "";
      System.out.printf("| %s | %d | %d | %d | %,d | %,d | %.3f | %.1f%% | %.1f | %s |%n", r.get("method"), r.get("k"),
          r.get("iterations"), r.get("parts"), r.get("max_part"), r.get("min_part"), r.get("imbalance"),
          100 * (Double) r.get("cut"), r.get("seconds"), communities);
    }
    System.out.println("iterations: rounds run (balanced-lpa, at most --max-rounds), maxIter (graphframes-lpa); "
        + "graphframes-lpa seconds = its label propagation + packing communities into k parts");
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new DqInputException(message);
    }
  }
}
