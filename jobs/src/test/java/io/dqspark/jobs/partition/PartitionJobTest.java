package io.dqspark.jobs.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dqspark.jobs.CliRunner;
import io.dqspark.jobs.SparkTestSession;
import io.dqspark.jobs.common.Json;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

/** Partitioning real graphs: fewer cut edges than hashing, balanced parts, complete halos. */
@Tag("integration")
class PartitionJobTest {
  @TempDir Path tmp;

  private final SparkSession spark = SparkTestSession.get();

  @Test
  void facebookSocialGraphCutsFarFewerEdgesThanHashingAndStaysBalanced() throws IOException {
    Path out = tmp.resolve("fb");
    CliRunner.Outcome r = CliRunner.run("partition", "--input", SparkTestSession.data("snap/facebook_combined.txt"),
        "--symmetrize", "--parts", "4", "--out", out.toString());
    assertEquals(0, r.exitCode(), r.err());
    JsonNode report = Json.mapper().readTree(out.resolve("partitions.json").toFile());
    double cut = report.get("edge_cut").get("fraction").asDouble();
    double hash = report.get("hash_baseline_edge_cut").get("fraction").asDouble();
    assertTrue(hash > 0.7, "hashing 4 ways cuts about 3/4 of the edges, got " + hash);
    assertTrue(cut < 0.5 * hash, "label propagation cut " + cut + " vs hash " + hash);
    for (JsonNode part : report.get("per_part")) {
      double ratio = part.get("nodes").asDouble() / report.get("balance").get("mean").asDouble();
      assertTrue(ratio > 0.9 && ratio < 1.1, "part " + part.get("part") + " holds " + ratio + " of the mean");
    }

    Dataset<Row> vertices = spark.read().parquet(out + "/vertices");
    Dataset<Row> edges = spark.read().parquet(out + "/edges");
    Dataset<Row> halo = spark.read().parquet(out + "/halo");
    assertEquals(4039, vertices.count());
    assertEquals(4039, vertices.select("id").distinct().count(), "every node in exactly one part");
    assertEquals(2 * 88234, edges.count());
    // Every edge's source is owned by the edge's part or sits in that part's halo.
    Dataset<Row> visible = vertices.selectExpr("id AS vsrc", "part AS vp")
        .union(halo.selectExpr("id AS vsrc", "part AS vp"));
    long unseen = edges.join(visible, edges.col("src").equalTo(visible.col("vsrc"))
        .and(edges.col("part").equalTo(visible.col("vp"))), "left_anti").count();
    assertEquals(0, unseen, "edges whose source is neither local nor in the halo");
    assertTrue(java.util.Arrays.asList(halo.columns()).stream().noneMatch(c -> c.equals("label")),
        "the halo carries no labels");
    // The reported cut is what the written parts say.
    long crossing = edges.join(vertices.select(vertices.col("id").as("src"), vertices.col("part").as("sp")), "src")
        .where("sp <> part").count();
    assertEquals(report.get("edge_cut").get("cut_edges").asLong(), crossing);
  }

  @Test
  void mutagWholeGraphsAreBinPackedEvenly() throws IOException {
    Path out = tmp.resolve("mutag");
    CliRunner.Outcome r = CliRunner.run("partition", "--input", SparkTestSession.data("tu/MUTAG"),
        "--parts", "4", "--out", out.toString());
    assertEquals(0, r.exitCode(), r.err());
    JsonNode report = Json.mapper().readTree(out.resolve("partitions.json").toFile());
    assertTrue(report.get("balance").get("max_over_mean").asDouble() < 1.02, report.toString());
    Dataset<Row> vertices = spark.read().parquet(out + "/vertices");
    assertEquals(188, vertices.select("graph_id").distinct().count());
    assertEquals(188, vertices.select("graph_id", "part").distinct().count(), "a graph is never split");
    Dataset<Row> graphs = spark.read().parquet(out + "/graphs");
    Dataset<Row> edges = spark.read().parquet(out + "/edges");
    long mismatched = edges.join(graphs.withColumnRenamed("part", "gp"), "graph_id").where("gp <> part").count();
    assertEquals(0, mismatched, "edges travel with their graph");
  }
}
