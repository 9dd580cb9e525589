package io.dqspark.jobs.partition;

import static io.dqspark.jobs.common.GraphSchemas.DST;
import static io.dqspark.jobs.common.GraphSchemas.FEATURES;
import static io.dqspark.jobs.common.GraphSchemas.GRAPH_ID;
import static io.dqspark.jobs.common.GraphSchemas.ID;
import static io.dqspark.jobs.common.GraphSchemas.PART;
import static io.dqspark.jobs.common.GraphSchemas.SRC;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import io.dqspark.graph.GraphLevel;
import io.dqspark.jobs.DqCli;
import io.dqspark.jobs.common.AtomicOutput;
import io.dqspark.jobs.common.GraphWriter;
import io.dqspark.jobs.common.Json;
import io.dqspark.jobs.common.OutputOptions;
import io.dqspark.jobs.common.SparkGraph;
import io.dqspark.jobs.common.SparkJob;
import io.dqspark.jobs.common.TablesManifest;
import io.dqspark.jobs.ingest.GraphReader;
import io.dqspark.jobs.ingest.InputOptions;
import io.dqspark.util.DqInputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Splits a dataset into K training shards. Every row gains {@code part}; tables are written
 * partitioned by it ({@code vertices/part=3/...}) so a worker reads only its shard. One big graph
 * also gets {@code halo/}: per part, the ids and features (never labels) of the neighbours owned
 * by other parts, so that a GNN layer on the part sees every in-neighbour. An edge belongs to the
 * part of its {@code dst}, where its message is aggregated.
 */
@Command(name = "partition", mixinStandardHelpOptions = true,
    description = "Partition a dataset into K shards (graph-level: balanced bins of whole graphs; "
        + "one big graph: balanced label propagation with 1-hop halos).")
public final class PartitionJob extends SparkJob {
  @Mixin InputOptions input = new InputOptions();
  @Mixin OutputOptions output = new OutputOptions();

  @Option(names = "--parts", required = true, description = "Number of parts K.")
  int parts;

  @Mixin LabelPropagationOptions labelPropagation = new LabelPropagationOptions();

  public static void main(String[] args) {
    DqCli.exit(DqCli.runAndStop(new PartitionJob(), args));
  }

  @Override
  protected String stage() {
    return "partition";
  }

  @Override
  protected void run(SparkSession spark) {
    if (parts < 1) {
      throw new DqInputException("--parts must be at least 1, got " + parts);
    }
    BalancedLabelPropagation.Settings settings = labelPropagation.settings(parts);
    SparkGraph graph = GraphReader.read(spark, input);
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("name", graph.name());
    report.put("level", graph.level().label());
    report.put("parts", parts);
    SparkGraph shards = graph.level() == GraphLevel.GRAPH
        ? byWholeGraphs(spark, graph, report) : byLabelPropagation(graph, settings, report);

    try (AtomicOutput out = AtomicOutput.begin(spark.sparkContext().hadoopConfiguration(), output.out, output.overwrite)) {
      GraphWriter writer = new GraphWriter(out, output.format);
      GraphWriter.WrittenCounts written = writer.writeAll(shards, PART);
      List<String> tables = new ArrayList<>(written.tables());
      if (graph.level() == GraphLevel.NODE) {
        writer.write("halo", halo(shards), PART);
        tables.add("halo");
      }
      out.writeText("partitions.json", Json.write(report));
      out.writeText(TablesManifest.FILE,
          new TablesManifest(graph.name(), graph.level(), writer.formatName(), tables, stage()).toJson());
      out.commit();
      System.out.println("partition " + graph.name() + " into " + parts + " parts -> " + out.target());
      System.out.println(Json.write(summaryLine(report)));
    }
  }

  private SparkGraph byWholeGraphs(SparkSession spark, SparkGraph graph, Map<String, Object> report) {
    GraphBinPacking.Assignment a = GraphBinPacking.assign(spark, graph.vertices(), graph.edges(), parts);
    Dataset<Row> partOf = org.apache.spark.sql.functions.broadcast(a.parts());
    report.put("method", "longest-processing-time bin packing of whole graphs by nodes + edges");
    report.put("balance", PartitionQuality.balance(a.weights()));
    SparkGraph out = graph.withVertices(graph.vertices().join(partOf, GRAPH_ID))
        .withEdges(graph.edges().join(partOf, GRAPH_ID))
        .withGraphs(graph.graphs() == null ? null : graph.graphs().join(partOf, GRAPH_ID));
    List<Map<String, Object>> perPart = new ArrayList<>();
    Map<Integer, long[]> sizes = new java.util.TreeMap<>();
    for (Row r : out.vertices().groupBy(PART).agg(count(lit(1)), org.apache.spark.sql.functions.countDistinct(col(GRAPH_ID))).collectAsList()) {
      sizes.computeIfAbsent(r.getInt(0), p -> new long[3])[0] = r.getLong(1);
      sizes.get(r.getInt(0))[2] = r.getLong(2);
    }
    for (Row r : out.edges().groupBy(PART).count().collectAsList()) {
      sizes.computeIfAbsent(r.getInt(0), p -> new long[3])[1] = r.getLong(1);
    }
    for (Map.Entry<Integer, long[]> e : sizes.entrySet()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("part", e.getKey());
      m.put("graphs", e.getValue()[2]);
      m.put("nodes", e.getValue()[0]);
      m.put("edges", e.getValue()[1]);
      perPart.add(m);
    }
    report.put("per_part", perPart);
    return out;
  }

  private SparkGraph byLabelPropagation(SparkGraph graph, BalancedLabelPropagation.Settings settings,
      Map<String, Object> report) {
    BalancedLabelPropagation.Result lp = BalancedLabelPropagation.run(graph.vertices().select(ID), graph.edges(), settings);
    Dataset<Row> labels = lp.labels().persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> hashLabels = BalancedLabelPropagation.hashLabels(graph.vertices(), parts, settings.seed());
    PartitionQuality.Cut cut = PartitionQuality.edgeCut(graph.edges(), labels);
    PartitionQuality.Cut hashCut = PartitionQuality.edgeCut(graph.edges(), hashLabels);
    long[] nodes = BalancedLabelPropagation.partSizes(labels, parts);

    report.put("method", "balanced label propagation (Spinner-style), lambda " + settings.lambda()
        + ", eps " + settings.eps());
    report.put("rounds", lp.rounds());
    report.put("moves_per_round", lp.movesPerRound());
    report.put("edge_cut", cut.toMap());
    report.put("hash_baseline_edge_cut", hashCut.toMap());
    report.put("balance", PartitionQuality.balance(nodes));

    Dataset<Row> vertices = graph.vertices().join(labels, ID);
    Dataset<Row> edges = graph.edges().join(labels.select(col(ID).as(DST), col(PART)), DST);
    SparkGraph out = graph.withVertices(vertices).withEdges(edges);
    List<Map<String, Object>> perPart = new ArrayList<>();
    long[] edgeCounts = new long[parts];
    for (Row r : edges.groupBy(PART).count().collectAsList()) {
      edgeCounts[r.getInt(0)] = r.getLong(1);
    }
    long[] haloCounts = new long[parts];
    for (Row r : halo(out).groupBy(PART).count().collectAsList()) {
      haloCounts[r.getInt(0)] = r.getLong(1);
    }
    for (int p = 0; p < parts; p++) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("part", p);
      m.put("nodes", nodes[p]);
      m.put("edges", edgeCounts[p]);
      m.put("halo_nodes", haloCounts[p]);
      perPart.add(m);
    }
    report.put("per_part", perPart);
    return out;
  }

  /** Per part, the in-neighbours owned elsewhere: ids and features, no labels. */
  private static Dataset<Row> halo(SparkGraph shards) {
    Dataset<Row> owner = shards.vertices().select(col(ID).as(SRC), col(PART).as("owner"));
    return shards.edges()
        .join(owner, SRC)
        .where(col("owner").notEqual(col(PART)))
        .select(col(PART), col(SRC).as(ID), col("owner"))
        .distinct()
        .join(shards.vertices().select(col(ID), col(GRAPH_ID), col(FEATURES)), ID)
        .select(col(GRAPH_ID), col(ID), col(FEATURES), col("owner"), col(PART));
  }

  private static Map<String, Object> summaryLine(Map<String, Object> report) {
    Map<String, Object> m = new LinkedHashMap<>(report);
    m.remove("per_part");
    m.remove("moves_per_round");
    return m;
  }
}
