package io.dqspark.jobs.score;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dqspark.export.GatExporter;
import io.dqspark.export.GinExporter;
import io.dqspark.gnn.QuantMode;
import io.dqspark.graph.GraphDataset;
import io.dqspark.jobs.SparkTestSession;
import io.dqspark.jobs.common.GraphSchemas;
import io.dqspark.jobs.common.SparkGraph;
import io.dqspark.jobs.ingest.GraphReader;
import io.dqspark.jobs.ingest.InputFormat;
import io.dqspark.jobs.ingest.InputOptions;
import io.dqspark.model.ClassScores;
import io.dqspark.model.FloatGat;
import io.dqspark.model.GinGraph;
import io.dqspark.model.FloatGin;
import io.dqspark.model.GcnGraph;
import io.dqspark.model.ModelManifest;
import io.dqspark.model.QuantizedModel;
import io.dqspark.train.Architecture;
import io.dqspark.train.NodeClassificationRun;
import io.dqspark.train.TrainingOptions;
import io.dqspark.train.Variant;
import io.dqspark.util.DqInputException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Tag;

/**
 * Node-level Degree-Quant INT8 GIN and GAT models scored layer by layer over Cora's parts equal
 * the whole-graph integer run bit for bit. GIN's layer 0 reads its own nodes' float features (the
 * self term) in their part and sends message codes to the halos; GAT's softmax over in-edges needs
 * only the halo's codes, as GCN's normalised sum does. GAT's FP32 network scored the same way
 * predicts as the whole-graph FP32 engine, and so does node-level GIN.
 */
@Tag("integration")
class PartitionedGinGatScorerTest {
  /** A trained network and its INT8 export. */
  private record Trained(ComputationGraph network, QuantizedModel model) {}

  private static Trained train(GraphDataset data, Architecture arch) {
    NodeClassificationRun run = new NodeClassificationRun(data, true);
    TrainingOptions o = TrainingOptions.defaults(arch, false);
    o.variant = new Variant(QuantMode.DQ, 8);
    o.epochs = 8;
    o.seed = 5;
    if (arch == Architecture.GIN) {
      o.hidden = 32;
      o.dropout = 0.5;
      o.learningRate = 0.01;
    }
    run.run(o);
    return new Trained(run.network(), arch == Architecture.GIN
        ? GinExporter.export(run.network(), Map.of("dataset", "cora"))
        : GatExporter.export(run.network(), Map.of("dataset", "cora")));
  }

  /** Publishes {@code t} (integer model and FP32 network) under {@code tmp} and resolves it. */
  private static ModelRef publish(Trained t, Path tmp) {
    QuantizedModel model = t.model();
    ModelManifest m = TestModelDirs.dqInt8("cora-" + model.architecture(), "node",
        model.architecture(), model);
    m.provenance.put("config", Map.of("settings", Map.of("row_normalize", true)));
    Path dir = TestModelDirs.write(tmp, m, model, t.network());
    return ModelRef.resolve(SparkTestSession.get().sparkContext().hadoopConfiguration(), dir.toString());
  }

  private static SparkGraph coraTables() {
    InputOptions in = InputOptions.of(SparkTestSession.data("planetoid/cora"), InputFormat.PLANETOID, "cora");
    return GraphReader.read(SparkTestSession.get(), in);
  }

  private static Dataset<Row> hashParts(SparkGraph cora, int parts) {
    return cora.vertices().withColumn(GraphSchemas.PART,
        pmod(xxhash64(col(GraphSchemas.ID)), lit((long) parts)).cast("int"));
  }

  @Test
  void gatAndGinFp32PredictAsTheWholeGraphFp32Engines(@TempDir Path tmp) {
    SparkSession spark = SparkTestSession.get();
    GraphDataset data = CoraModels.cora();
    Trained gat = train(data, Architecture.GAT);
    ModelRef ref = publish(gat, tmp);
    RowEdges edges = RowEdges.of(data);
    FloatGat fp32 = GatExporter.floatModel(gat.network());
    int[] predicted = FloatGat.predictions(fp32.run(CoraModels.normalizedFeatures(data),
        GcnGraph.of(data.vertices().size(), edges.src(), edges.dst())), fp32.classes());
    SparkGraph cora = coraTables();
    Dataset<Row> scores = PartitionedNodeScorer.score(spark, hashParts(cora, 3), cora.edges(), ref,
        ScoringEngine.FP32, null);
    List<Row> rows = scores.collectAsList();
    scores.unpersist(false);
    assertEquals(data.vertices().size(), rows.size());
    for (Row r : rows) {
      assertEquals(predicted[data.vertices().rowOf(r.getLong(0))], r.getInt(1), "prediction of node " + r.getLong(0));
    }

    Trained ginModel = train(data, Architecture.GIN);
    ModelRef gin = publish(ginModel, tmp);
    FloatGin ginFp32 = GinExporter.floatModel(ginModel.network());
    int[] ginPredicted = FloatGin.argmax(ginFp32.run(CoraModels.normalizedFeatures(data),
        GinGraph.of(data.vertices().size(), edges.src(), edges.dst())), ginFp32.classes());
    Dataset<Row> ginScores = PartitionedNodeScorer.score(spark, hashParts(cora, 2), cora.edges(), gin,
        ScoringEngine.FP32, null);
    List<Row> ginRows = ginScores.collectAsList();
    ginScores.unpersist(false);
    assertEquals(data.vertices().size(), ginRows.size());
    int differ = 0;
    for (Row r : ginRows) {
      differ += ginPredicted[data.vertices().rowOf(r.getLong(0))] == r.getInt(1) ? 0 : 1;
    }
    // float sums run in each part's edge order, so a near tie may flip; none did when written
    assertTrue(differ <= 2, differ + " of " + ginRows.size() + " GIN predictions differ");
  }

  @ParameterizedTest
  @EnumSource(value = Architecture.class, names = {"GIN", "GAT"})
  void partitionedScoringEqualsWholeGraphScoring(Architecture arch, @TempDir Path tmp) throws Exception {
    SparkSession spark = SparkTestSession.get();
    GraphDataset data = CoraModels.cora();
    Trained trained = train(data, arch);
    QuantizedModel model = trained.model();
    ModelRef ref = publish(trained, tmp);

    var v = data.vertices();
    int n = v.size();
    RowEdges edges = RowEdges.of(data);
    ClassScores reference = LoadedModel.of(ref, model).scoreNodes(CoraModels.normalizedFeatures(data),
        n, edges.src(), edges.dst());
    int[] predicted = reference.predictions();

    SparkGraph cora = coraTables();
    for (int parts : new int[] {1, 4}) {
      Dataset<Row> scores = PartitionedNodeScorer.score(spark, hashParts(cora, parts), cora.edges(), ref, null);
      List<Row> rows = scores.collectAsList();
      scores.unpersist(false);
      assertEquals(n, rows.size());
      int distinct = (int) java.util.Arrays.stream(predicted).distinct().count();
      assertTrue(distinct > 1, "the model predicts more than one class: " + distinct);
      for (Row r : rows) {
        int row = v.rowOf(r.getLong(0));
        assertEquals(predicted[row], r.getInt(1), parts + " parts: prediction of node " + r.getLong(0));
        double[] p = reference.probabilities(row);
        List<Double> got = r.getList(2);
        for (int c = 0; c < p.length; c++) {
          assertEquals(p[c], got.get(c), 0.0, parts + " parts: probability " + c + " of node " + r.getLong(0));
        }
      }
    }
  }
}
