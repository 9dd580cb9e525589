package io.dqspark.jobs.score;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.dqspark.graph.GraphLevel;
import io.dqspark.jobs.DqCli;
import io.dqspark.jobs.common.AtomicOutput;
import io.dqspark.jobs.common.GraphSchemas;
import io.dqspark.jobs.common.Json;
import io.dqspark.jobs.common.OutputOptions;
import io.dqspark.jobs.common.SparkGraph;
import io.dqspark.jobs.common.SparkJob;
import io.dqspark.jobs.ingest.GraphReader;
import io.dqspark.jobs.ingest.InputOptions;
import io.dqspark.util.DqInputException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.CollectionAccumulator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bin/dq score}: predictions with a model directory. A node-level model scores the nodes of
 * one big graph part by part ({@link PartitionedNodeScorer}) into {@code id, prediction} tables,
 * with the integer engine or, for comparison, the same model's FP32 network ({@code --engine});
 * a graph-level model classifies every graph of a graph-level dataset ({@link GraphScoring}) into
 * {@code graph_id, prediction} tables. Either way the tables sit at the output folder's root with
 * {@code scores.json} (accuracy, model loads per executor; for nodes also the engine, wall time,
 * seconds per layer and bytes shuffled between layers as Spark measured them), published
 * atomically, and the test accuracy is printed when the input has test labels.
 */
@Command(name = "score", mixinStandardHelpOptions = true,
    description = {"Score a graph's nodes, or every graph of a graph-level dataset, with a model directory: "
        + "integer arithmetic (model.dq8), or for node-level GCN/GAT models also the model's FP32 network "
        + "(--engine fp32) through the same partitioned, layer-by-layer path.",
        "scores.json (nodes): engine, wall_s (reading the input to every prediction, model load excluded), "
        + "model_load_s, layer_seconds, input_stage_s, shuffle_bytes (bytes Spark shuffled between layers: "
        + "layer 0's input rows plus every layer's output rows but the last), layer_shuffle_bytes, "
        + "shuffle_bytes_all_stages, stage_seconds, test_accuracy, model_loads; see docs/scoring.md."})
public final class ScoreJob extends SparkJob {
  @Mixin InputOptions input = new InputOptions();
  @Mixin OutputOptions output = new OutputOptions();

  @Option(names = "--model", required = true, paramLabel = "DIR",
      description = "A published model directory (ROOT/NAME/vN with model.json, model.dq8, _SUCCESS; "
          + "network.zip too for --engine fp32).")
  String model;

  @Option(names = "--parts", paramLabel = "K",
      description = "Parts to score in when the input has no 'part' column (the partition job's output has "
          + "one): nodes are hashed by id (default: Spark's default parallelism, at least 2).")
  Integer parts;

  @Option(names = "--row-normalize", defaultValue = "auto", paramLabel = "MODE",
      description = "Divide each feature row by its sum before scoring: auto (as the model was trained, "
          + "from model.json), true or false (default: ${DEFAULT-VALUE}).")
  String rowNormalize;

  @Option(names = "--engine", defaultValue = "int8", paramLabel = "ENGINE",
      description = "Node scoring arithmetic: int8 (the integer-only engine; parts exchange int8 codes, one byte "
          + "per value) or fp32 (the same model's FP32 network from network.zip; parts exchange float rows, "
          + "four bytes per value). fp32 scores node-level GCN and GAT models (default: ${DEFAULT-VALUE}).")
  String engine;

  public static void main(String[] args) {
    DqCli.exit(DqCli.runAndStop(new ScoreJob(), args));
  }

  @Override
  protected String stage() {
    return "score";
  }

  @Override
  protected void run(SparkSession spark) {
    System.out.println("score, driver JVM: " + io.dqspark.engine.Kernels.report());
    ScoringEngine kind = ScoringEngine.parse("--engine", engine);
    ModelRef ref = withRowNormalizeOption(ModelRef.resolve(spark.sparkContext().hadoopConfiguration(), model));
    if (kind == ScoringEngine.FP32 && "graph".equals(ref.task())) {
      throw FloatPartEngines.unsupported(ref);
    }
    SparkGraph graph = GraphReader.read(spark, input);
    if ("graph".equals(ref.task())) {
      if (graph.level() != GraphLevel.GRAPH) {
        throw new DqInputException("--input " + input.input + " is one big graph; the model " + ref
            + " classifies whole graphs (give a graph-level dataset)");
      }
      scoreGraphs(spark, ref, graph);
      return;
    }
    NodeScoring.requireNodeLevel(ref);
    if (graph.level() != GraphLevel.NODE) {
      throw new DqInputException("--input " + input.input + " is a graph-level dataset; the model scores nodes of one graph");
    }
    try (AtomicOutput out = AtomicOutput.begin(spark.sparkContext().hadoopConfiguration(), output.out,
        output.overwrite)) {
      if (parts != null && parts < 1) {
        throw new DqInputException("--parts must be >= 1, got " + parts);
      }
      Dataset<Row> vertices = NodeScoring.withParts(spark, graph.vertices(), parts);
      CollectionAccumulator<String> loads = spark.sparkContext().collectionAccumulator("dq model loads");
      // load on the driver first: a model the engine cannot score fails before any Spark work, and
      // the wall time compares scoring, not DL4J's start-up (in local mode the tasks share this load)
      long loadStart = System.nanoTime();
      PartEngine.of(ref, kind, loads);
      double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
      long start = System.nanoTime();
      Dataset<Row> scores;
      ScoringMetrics metrics;
      double wallSeconds;
      try (ScoringStages stages = ScoringStages.start(spark.sparkContext())) {
        scores = NodeScoring.score(spark, vertices, graph.edges(), ref, kind, null, loads);
        wallSeconds = (System.nanoTime() - start) / 1e9;
        metrics = stages.finish();
      }
      try {
        Accuracy test = Accuracy.of(scores, graph.vertices(), "test");
        Map<String, Integer> loadsBy = new TreeMap<>();
        for (String executor : loads.value()) {
          loadsBy.merge(executor, 1, Integer::sum);
        }
        int partCount = vertices.select(GraphSchemas.PART).distinct().collectAsList().size();
        writePredictions(scores.select(GraphSchemas.ID, "prediction"), out);
        Map<String, Object> report = reportHead(ref);
        report.put("engine", kind.label());
        report.put("wall_s", wallSeconds);
        report.put("model_load_s", loadSeconds);
        report.putAll(metrics.report());
        report.put("nodes", test.scored());
        report.put("parts", partCount);
        report.put("row_normalize", ref.rowNormalize());
        report.put("test_nodes", test.total());
        report.put("test_accuracy", test.total() == 0 ? null : test.accuracy());
        report.put("model_loads", loadsBy);
        out.writeText("scores.json", Json.write(report));
        out.commit();
        System.out.printf("score %s with %s: %d nodes in %d parts; %s -> %s%n", graph.name(), ref,
            test.scored(), partCount, test.total() == 0 ? "no test labels"
                : String.format("test accuracy %.4f (%d/%d)", test.accuracy(), test.correct(), test.total()),
            out.target());
        System.out.println("model loads per executor: " + loadsBy);
        System.out.println(metrics.summary(kind, wallSeconds));
      } finally {
        scores.unpersist(false);
      }
    }
  }

  /**
   * One prediction per graph through {@code dq_predict_graph} ({@link GraphScoring}); accuracy over
   * every labelled graph and over the graphs training held out, when the model records them.
   */
  private void scoreGraphs(SparkSession spark, ModelRef ref, SparkGraph graph) {
    if (parts != null) {
      throw new DqInputException("--parts applies to node scoring; graph-level data is scored one graph per row");
    }
    DqFunctions functions = DqFunctions.register(spark);
    try (AtomicOutput out = AtomicOutput.begin(spark.sparkContext().hadoopConfiguration(), output.out,
        output.overwrite)) {
      Dataset<Row> scores = GraphScoring.score(graph, ref).cache();
      try {
        GraphScoring.Accuracy a = GraphScoring.Accuracy.of(scores, graph.graphs(), ref.testGraphIds());
        writePredictions(scores.select(GraphSchemas.GRAPH_ID, "prediction"), out);
        Map<String, Integer> loadsBy = functions.loadsByExecutor();
        Map<String, Object> report = reportHead(ref);
        report.put("engine", ScoringEngine.INT8.label());
        report.put("graphs", a.graphs());
        report.put("feature_scale", ref.featureScale());
        report.put("labelled_graphs", a.labelled());
        report.put("accuracy_all_labelled", a.labelled() == 0 ? null : a.accuracy());
        report.put("test_graphs", a.testTotal());
        report.put("test_accuracy", a.testTotal() == 0 ? null : a.testAccuracy());
        report.put("model_loads", loadsBy);
        out.writeText("scores.json", Json.write(report));
        out.commit();
        System.out.printf("score %s with %s: %d graphs; %s; %s -> %s%n", graph.name(), ref, a.graphs(),
            a.labelled() == 0 ? "no labels" : String.format("accuracy over all %d labelled graphs %.4f",
                a.labelled(), a.accuracy()),
            a.testTotal() == 0 ? "no held-out graphs recorded in the model"
                : String.format("test accuracy %.4f (%d/%d held-out graphs)", a.testAccuracy(),
                    a.testCorrect(), a.testTotal()),
            out.target());
        System.out.println("model loads per executor: " + loadsBy);
      } finally {
        scores.unpersist(false);
      }
    }
  }

  /** The prediction table at the output's root: CSV with a header, or Parquet. */
  private void writePredictions(Dataset<Row> predictions, AtomicOutput out) {
    var writer = predictions.write().mode(SaveMode.Overwrite);
    if (output.format == OutputOptions.Format.CSV) {
      writer.option("header", "true").csv(out.tempRoot());
    } else {
      writer.parquet(out.tempRoot());
    }
  }

  /** The first keys of scores.json: which model scored which input. */
  private Map<String, Object> reportHead(ModelRef ref) {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("model", ref.dir());
    report.put("model_name", ref.name());
    report.put("model_version", ref.version());
    report.put("input", input.input);
    return report;
  }

  private ModelRef withRowNormalizeOption(ModelRef ref) {
    return switch (rowNormalize) {
      case "auto" -> ref;
      case "true" -> ref.withRowNormalize(true);
      case "false" -> ref.withRowNormalize(false);
      default -> throw new DqInputException("--row-normalize must be auto, true or false, got '" + rowNormalize + "'");
    };
  }

  /** Share of a split's labelled nodes whose prediction equals the label. */
  record Accuracy(long scored, long correct, long total) {
    double accuracy() {
      return (double) correct / total;
    }

    static Accuracy of(Dataset<Row> scores, Dataset<Row> vertices, String split) {
      Dataset<Row> joined = scores.join(vertices.select(col(GraphSchemas.ID), col(GraphSchemas.LABEL),
          col(GraphSchemas.SPLIT)), GraphSchemas.ID);
      List<Row> r = joined.agg(
          org.apache.spark.sql.functions.count(lit(1)),
          org.apache.spark.sql.functions.sum(org.apache.spark.sql.functions.when(
              col(GraphSchemas.SPLIT).equalTo(split).and(col(GraphSchemas.LABEL).isNotNull())
                  .and(col("prediction").equalTo(col(GraphSchemas.LABEL))), 1).otherwise(0)),
          org.apache.spark.sql.functions.sum(org.apache.spark.sql.functions.when(
              col(GraphSchemas.SPLIT).equalTo(split).and(col(GraphSchemas.LABEL).isNotNull()), 1)
              .otherwise(0))).collectAsList();
      Row a = r.get(0);
      return new Accuracy(a.getLong(0), a.isNullAt(1) ? 0 : a.getLong(1), a.isNullAt(2) ? 0 : a.getLong(2));
    }
  }
}
