package io.dqspark.jobs.train;

import static org.apache.spark.sql.functions.col;

import io.dqspark.jobs.bench.JsonFile;
import io.dqspark.jobs.common.GraphSchemas;
import io.dqspark.jobs.common.SparkSessions;
import io.dqspark.jobs.pipeline.ShardStages;
import io.dqspark.util.DqInputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bin/dq bench accuracy}: the accuracy table of issue 16 on one graph, through the train
 * job's own code ({@link TrainRun}): one run per precision and method on the same shards and seed,
 * and, with {@code --no-edges}, the same network trained on the graph's vertices with every edge
 * removed, which leaves each GCN layer its self-loop only: an MLP of the same widths (row
 * {@code arch = mlp}, trained in FP32, its best case).
 */
@Command(name = "accuracy", mixinStandardHelpOptions = true,
    description = {"Test accuracy of several precisions and methods (and a no-edges baseline) on one graph, "
        + "through the train job.",
        "JSON rows: arch, precision, method, nodes, edges, parts, workers, epochs, test_accuracy, train_s."})
public final class AccuracyBench implements Callable<Integer> {
  @Mixin TrainCommandOptions options;

  @Option(names = "--variants", split = ",", defaultValue = "fp32,int8:qat,int8:dq,int4:qat,int4:dq",
      description = "precision[:method] runs, in order (default: ${DEFAULT-VALUE}).")
  List<String> variants;

  @Option(names = "--no-edges", description = "Also train the FP32 network on the vertices without edges (arch mlp); "
      + "needs 'input' to name canonical tables (the ingest job's output).")
  boolean noEdges;

  @Option(names = "--json", paramLabel = "FILE",
      description = "Also write the rows to FILE, replaced whole after every run.")
  String json;

  @Override
  public Integer call() throws Exception {
    SparkSession spark = SparkSessions.getOrCreate("dq bench accuracy");
    List<Map<String, Object>> rows = new ArrayList<>();
    System.out.println("| arch | precision | method | nodes | edges | parts | workers | epochs | test accuracy | train s |");
    System.out.println("|---|---|---|---:|---:|---:|---:|---:|---:|---:|");
    for (String v : variants) {
      String[] pm = v.trim().toLowerCase(Locale.ROOT).split(":");
      TrainSettings s = options.settings();
      s.set("precision", pm[0], "--variants");
      if (pm.length > 1) {
        s.set("method", pm[1], "--variants");
      }
      rows.add(run(spark, s, null));
      writeJson(rows);
    }
    if (noEdges) {
      TrainSettings s = options.settings();
      String input = s.string("input", null);
      if (input == null) {
        throw new DqInputException("--no-edges needs 'input' (canonical tables, e.g. the ingest job's output)");
      }
      String dir = options.out + "/no-edges";
      String raw = dir + "/input";
      Dataset<Row> vertices = spark.read().parquet(input + "/vertices");
      vertices.write().mode("overwrite").parquet(raw + "/vertices");
      // one self-loop per vertex, kept by ingest: every table has rows and its schema, and a GCN
      // layer, which drops input self-loops and adds its own, aggregates each node alone
      vertices.select(col(GraphSchemas.GRAPH_ID), col(GraphSchemas.ID).as(GraphSchemas.SRC),
          col(GraphSchemas.ID).as(GraphSchemas.DST)).write().mode("overwrite").parquet(raw + "/edges");
      // FP32 protects nothing, so the protection range of the stats is immaterial here
      ShardStages.run(raw, List.of("--input-format", "parquet", "--keep-self-loops"), s.string("name", "graph"),
          0.0, 0.1, s.integer("parts", 2), dir, true, ShardStages.StageLog.lines("no-edges baseline", System.err::println),
          (stage, run) -> { });
      s.set("precision", "fp32", "--no-edges").set("shards", dir + "/parts", "--no-edges")
          .set("input", dir + "/ingested", "--no-edges");
      rows.add(run(spark, s, "mlp"));
      writeJson(rows);
    }
    return 0;
  }

  /** After every run, so that the rows of a long benchmark survive a later failure. */
  private void writeJson(List<Map<String, Object>> rows) {
    if (json != null) {
      JsonFile.write(json, rows);
      System.out.println(rows.size() + " row(s) -> " + json);
    }
  }

  /** Edges whose ends differ: what a layer aggregates (the baseline's table holds self-loops only). */
  private static long edgesBetweenNodes(io.dqspark.graph.EdgeTable edges) {
    long n = 0;
    for (int i = 0; i < edges.size(); i++) {
      n += edges.src(i) != edges.dst(i) ? 1 : 0;
    }
    return n;
  }

  private Map<String, Object> run(SparkSession spark, TrainSettings s, String arch) {
    String checkpoints = options.out + "/.bench-checkpoint-" + UUID.randomUUID();
    TrainRun.Result r;
    try {
      r = TrainRun.run(spark, s, options.out, false, null, checkpoints, System.err::println);
    } finally {
      new Checkpoints(spark.sparkContext().hadoopConfiguration(), checkpoints).clear();
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("arch", arch != null ? arch : s.string("arch", "gcn"));
    m.put("precision", s.string("precision", null));
    m.put("method", "fp32".equals(s.string("precision", null)) ? "fp32" : s.string("method", null));
    m.put("nodes", r.driver().data.vertices().size());
    m.put("edges", edgesBetweenNodes(r.driver().data.edges()));
    m.put("parts", r.parts());
    m.put("workers", r.workers());
    m.put("epochs", r.options().epochs);
    m.put("test_accuracy", r.progress().bestTestAccuracy);
    m.put("validation_accuracy", r.progress().bestValidationAccuracy);
    m.put("best_epoch", r.progress().bestEpoch);
    m.put("train_s", r.progress().trainSeconds);
    m.put("seed", s.integer("seed", 1));
    // what a part's step trained on (design §7.6); rows before the scoped subgraph say "plain"
    m.put("part_subgraph", "gcn".equals(s.string("arch", "gcn")) ? "scoped" : "plain");
    System.out.printf("| %s | %s | %s | %,d | %,d | %d | %d | %d | %.4f | %.1f |%n", m.get("arch"), m.get("precision"),
        m.get("method"), m.get("nodes"), m.get("edges"), r.parts(), r.workers(), r.options().epochs,
        r.progress().bestTestAccuracy, r.progress().trainSeconds);
    return m;
  }
}
