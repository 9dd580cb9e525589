package io.dqspark.jobs.stats;

import io.dqspark.jobs.DqCli;
import io.dqspark.jobs.common.AtomicOutput;
import io.dqspark.jobs.common.GraphWriter;
import io.dqspark.jobs.common.IngestReport;
import io.dqspark.jobs.common.Json;
import io.dqspark.jobs.common.OutputOptions;
import io.dqspark.jobs.common.SparkGraph;
import io.dqspark.jobs.common.SparkJob;
import io.dqspark.jobs.common.TablesManifest;
import io.dqspark.jobs.ingest.GraphReader;
import io.dqspark.jobs.ingest.InputOptions;
import io.dqspark.stats.ProtectionRule;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * In-degree and Degree-Quant protection probability of every node: writes the vertices with
 * {@code in_degree} and {@code mask_prob}, the edges (and graphs) unchanged, and {@code stats.json}.
 */
@Command(name = "stats", mixinStandardHelpOptions = true,
    description = "Compute in-degrees and Degree-Quant protection probabilities (p_low..p_high by in-degree CDF).")
public final class StatsJob extends SparkJob {
  @Mixin InputOptions input = new InputOptions();
  @Mixin OutputOptions output = new OutputOptions();

  @Option(names = "--p-low", defaultValue = "0.0",
      description = "Protection probability of the lowest-degree nodes (INT8: 0, INT4: 0.1) (default: ${DEFAULT-VALUE}).")
  double pLow;

  @Option(names = "--p-high", defaultValue = "0.1",
      description = "Protection probability of the highest-degree node (INT8: 0.1, INT4: 0.2) (default: ${DEFAULT-VALUE}).")
  double pHigh;

  @Option(names = "--scope", defaultValue = "auto", paramLabel = "SCOPE",
      description = "CDF over each graph (per-graph), over all nodes (whole-graph), or auto: per graph "
          + "for graph-level datasets (default: ${DEFAULT-VALUE}).")
  String scope;

  public static void main(String[] args) {
    DqCli.exit(DqCli.runAndStop(new StatsJob(), args));
  }

  @Override
  protected String stage() {
    return "stats";
  }

  @Override
  protected void run(SparkSession spark) {
    ProtectionRule rule = new ProtectionRule(pLow, pHigh);
    SparkGraph graph = GraphReader.read(spark, input);
    boolean perGraph = switch (scope) {
      case "auto" -> graph.level() == io.dqspark.graph.GraphLevel.GRAPH;
      case "per-graph" -> true;
      case "whole-graph" -> false;
      default -> throw new io.dqspark.util.DqInputException(
          "--scope must be auto, per-graph or whole-graph, got '" + scope + "'");
    };
    DegreeStatistics.Result result = DegreeStatistics.compute(graph, rule, perGraph);
    try (AtomicOutput out = AtomicOutput.begin(spark.sparkContext().hadoopConfiguration(), output.out, output.overwrite)) {
      GraphWriter writer = new GraphWriter(out, output.format);
      GraphWriter.WrittenCounts written = writer.writeAll(result.graph());
      out.writeText("stats.json", result.summary().toJson());
      if (graph.cleaning() != null) {
        out.writeText("ingest.json", Json.write(IngestReport.afterWrite(graph.cleaning(), written).toMap()));
      }
      out.writeText(TablesManifest.FILE,
          new TablesManifest(graph.name(), graph.level(), writer.formatName(), written.tables(), stage()).toJson());
      out.commit();
      var s = result.summary();
      System.out.printf("stats %s: %d nodes, %d edges, %d graphs; in-degree min %d / mean %.2f / max %d; "
              + "mask_prob %.4f..%.4f (%s) -> %s%n", graph.name(), s.nodes(), s.edges(), s.graphs(), s.minDegree(),
          s.meanDegree(), s.maxDegree(), s.maskProb().min(), s.maskProb().max(),
          perGraph ? "per graph" : "whole graph", out.target());
    }
  }
}
