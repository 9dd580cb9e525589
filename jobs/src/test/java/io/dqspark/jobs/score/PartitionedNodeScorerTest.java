package io.dqspark.jobs.score;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dqspark.jobs.SparkTestSession;
import io.dqspark.jobs.common.GraphSchemas;
import io.dqspark.jobs.common.SparkGraph;
import io.dqspark.jobs.ingest.GraphReader;
import io.dqspark.jobs.ingest.InputFormat;
import io.dqspark.jobs.ingest.InputOptions;
import io.dqspark.model.IntegerGcn;
import io.dqspark.util.DqInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.CollectionAccumulator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

/** Layer-by-layer scoring over parts reproduces whole-graph integer scoring exactly, on Cora. */
@Tag("integration")
class PartitionedNodeScorerTest {
  private static CoraModels.Published published;
  private static ModelRef ref;
  private static SparkGraph cora;
  private static IntegerGcn.Result reference;

  @BeforeAll
  static void publishModel() throws Exception {
    SparkSession spark = SparkTestSession.get();
    published = CoraModels.shared();
    ref = ModelRef.resolve(spark.sparkContext().hadoopConfiguration(), published.dir().toString());
    InputOptions in = InputOptions.of(SparkTestSession.data("planetoid/cora"), InputFormat.PLANETOID, "cora");
    cora = GraphReader.read(spark, in);
    reference = published.wholeGraph();
  }

  private static Dataset<Row> hashParts(int parts) {
    return cora.vertices().withColumn(GraphSchemas.PART,
        pmod(xxhash64(col(GraphSchemas.ID)), lit((long) parts)).cast("int"));
  }

  /** Every node's prediction and probabilities equal the whole-graph run's (bit for bit). */
  private static void assertSameAsWholeGraph(Dataset<Row> scores) {
    List<Row> rows = scores.collectAsList();
    assertEquals(published.cora().vertices().size(), rows.size());
    int[] predicted = reference.predictions();
    for (Row r : rows) {
      int v = published.cora().vertices().rowOf(r.getLong(0));
      assertEquals(predicted[v], r.getInt(1), "prediction of node " + r.getLong(0));
      double[] p = reference.probabilities(v);
      List<Double> got = r.getList(2);
      for (int c = 0; c < p.length; c++) {
        assertEquals(p[c], got.get(c), 0.0, "probability " + c + " of node " + r.getLong(0));
      }
    }
  }

  /** A copy of the shared model under a new path: a cache key no test has used yet. */
  private static ModelRef freshCopy(Path tmp) throws java.io.IOException {
    Path dir = tmp.resolve("cora/v1");
    Files.createDirectories(dir);
    try (var files = Files.list(published.dir())) {
      for (Path f : files.toList()) {
        Files.copy(f, dir.resolve(f.getFileName()));
      }
    }
    return ModelRef.resolve(SparkTestSession.get().sparkContext().hadoopConfiguration(), dir.toString());
  }

  @Test
  void partitionedScoringEqualsWholeGraphScoringAndLoadsTheModelOnce(@TempDir Path tmp) throws Exception {
    SparkSession spark = SparkTestSession.get();
    ModelRef ref = freshCopy(tmp);
    CollectionAccumulator<String> loads = spark.sparkContext().collectionAccumulator();
    assertSameAsWholeGraph(PartitionedNodeScorer.score(spark, hashParts(5), cora.edges(), ref, loads));
    // one JVM here (local mode): its first use loads the model, every later task reuses it
    assertEquals(List.of("driver"), loads.value());
    CollectionAccumulator<String> again = spark.sparkContext().collectionAccumulator();
    assertSameAsWholeGraph(PartitionedNodeScorer.score(spark, hashParts(1), cora.edges(), ref, again));
    assertEquals(List.of(), again.value());
    assertTrue(published.fakeQuantTestAccuracy() > 0.5, "the model learned: " + published.fakeQuantTestAccuracy());
  }

  @Test
  void partsWithHalosFromThePartitionJobGiveTheSameScores(@TempDir Path tmp) throws Exception {
    SparkSession spark = SparkTestSession.get();
    Path out = tmp.resolve("parts");
    var r = io.dqspark.jobs.CliRunner.run("partition", "--input", SparkTestSession.data("planetoid/cora"),
        "--input-format", "planetoid", "--name", "cora", "--parts", "3", "--out", out.toString());
    assertEquals(0, r.exitCode(), r.err());
    Dataset<Row> vertices = spark.read().parquet(out.resolve("vertices").toString());
    Dataset<Row> edges = spark.read().parquet(out.resolve("edges").toString());
    assertSameAsWholeGraph(PartitionedNodeScorer.score(spark, vertices, edges, ref, null));
  }

  @Test
  void wrongFeatureWidthIsNamed() {
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> v = spark.createDataFrame(List.of(
        org.apache.spark.sql.RowFactory.create(0L, 0, List.of(1f, 2f))), Schemas.VERTICES);
    Exception e = assertThrows(Exception.class, () -> PartitionedNodeScorer.score(spark, v,
        Schemas.edges(spark), ref, null));
    assertInputError(e, "vertex 0 has 2 features; the model expects 1433");
  }

  @Test
  void nonFiniteFeatureIsNamed() {
    SparkSession spark = SparkTestSession.get();
    Float[] f = new Float[1433];
    java.util.Arrays.fill(f, 0f);
    f[7] = Float.NaN;
    Dataset<Row> v = spark.createDataFrame(List.of(
        org.apache.spark.sql.RowFactory.create(42L, 0, List.of(f))), Schemas.VERTICES);
    Exception e = assertThrows(Exception.class, () -> PartitionedNodeScorer.score(spark, v,
        Schemas.edges(spark), ref, null));
    assertInputError(e, "vertex 42 has a non-finite feature NaN at index 7");
  }

  @Test
  void edgeToUnknownNodeIsNamed() {
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> edges = spark.createDataFrame(List.of(org.apache.spark.sql.RowFactory.create(0L, 99999L)),
        Schemas.EDGES);
    Exception e = assertThrows(Exception.class, () -> PartitionedNodeScorer.score(spark, hashParts(2),
        edges, ref, null));
    assertInputError(e, "edge 0 -> 99999 names a node id that the vertex table lacks");
  }

  static void assertInputError(Throwable e, String message) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof DqInputException && c.getMessage().contains(message)) {
        return;
      }
    }
    throw new AssertionError("expected a DqInputException containing '" + message + "'", e);
  }

  /** Minimal tables for the bad-input cases. */
  static final class Schemas {
    static final org.apache.spark.sql.types.StructType VERTICES = org.apache.spark.sql.types.DataTypes
        .createStructType(List.of(
            org.apache.spark.sql.types.DataTypes.createStructField("id", org.apache.spark.sql.types.DataTypes.LongType, false),
            org.apache.spark.sql.types.DataTypes.createStructField("part", org.apache.spark.sql.types.DataTypes.IntegerType, false),
            org.apache.spark.sql.types.DataTypes.createStructField("features",
                org.apache.spark.sql.types.DataTypes.createArrayType(org.apache.spark.sql.types.DataTypes.FloatType), true)));
    static final org.apache.spark.sql.types.StructType EDGES = org.apache.spark.sql.types.DataTypes
        .createStructType(List.of(
            org.apache.spark.sql.types.DataTypes.createStructField("src", org.apache.spark.sql.types.DataTypes.LongType, false),
            org.apache.spark.sql.types.DataTypes.createStructField("dst", org.apache.spark.sql.types.DataTypes.LongType, false)));

    static Dataset<Row> edges(SparkSession spark) {
      return spark.createDataFrame(List.<Row>of(), EDGES);
    }
  }
}
