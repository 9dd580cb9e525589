package io.dqspark.jobs.ml;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.dqspark.jobs.train.TrainSettings;

import io.dqspark.train.Architecture;

import io.dqspark.train.TrainingOptions;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dqspark.graph.EdgeRules;
import io.dqspark.jobs.SparkTestSession;
import io.dqspark.jobs.common.SparkGraph;
import io.dqspark.jobs.ingest.LocalDatasets;
import io.dqspark.loaders.PlanetoidLoader;
import io.dqspark.util.HadoopFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.graphframes.GraphFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Tag;

/**
 * The Spark ML API on the bundled Cora: fit through a Pipeline with Spark ML's column conventions
 * (features as an ml Vector, labels as doubles), save, stop the session, load in a new one, and
 * get the same predictions; params and missing edges give errors that name them.
 */
@Tag("integration")
class DegreeQuantClassifierTest {
  private static final String EDGES = "cora_edges";

  /** Cora's vertices as a Spark ML user holds them (Vector features, double labels); edges as a temp view. */
  private static Dataset<Row> cora(SparkSession spark) {
    String dir = SparkTestSession.data("planetoid/cora");
    SparkGraph g = LocalDatasets.toSpark(spark,
        PlanetoidLoader.load(HadoopFiles.withDefaults(), dir, "cora", EdgeRules.Options.DEFAULT), dir, "planetoid");
    g.edges().createOrReplaceTempView(EDGES);
    return g.vertices().select(col("id"), org.apache.spark.ml.functions.array_to_vector(col("features")).as("vec"),
        col("label").cast("double").as("y"), col("split"));
  }

  /** {@link #classifier()} fitted on Cora through a Pipeline, once for the tests that compare with it. */
  private static PipelineModel coraPipeline;

  private static synchronized PipelineModel coraPipeline(Dataset<Row> vertices) {
    if (coraPipeline == null) {
      coraPipeline = new Pipeline().setStages(new PipelineStage[] {classifier()}).fit(vertices);
    }
    return coraPipeline;
  }

  private static DegreeQuantClassifier classifier() {
    return new DegreeQuantClassifier().setEdgesTable(EDGES).setFeaturesCol("vec").setLabelCol("y")
        .setEpochs(6).setWorkers(2).setPartitionRounds(2).setRowNormalize(true).setSeed(3).setLearningRate(0.02);
  }

  /** Prediction and probabilities by vertex id. */
  private static Map<Long, Row> byId(Dataset<Row> scored, String prediction, String probability) {
    Map<Long, Row> out = new HashMap<>();
    for (Row r : scored.select(col("id"), col(prediction), col(probability)).collectAsList()) {
      out.put(r.getLong(0), r);
    }
    return out;
  }

  private static void assertSamePredictions(Map<Long, Row> expected, Map<Long, Row> actual, String what) {
    assertEquals(expected.keySet(), actual.keySet(), what + ": scored vertices");
    for (Map.Entry<Long, Row> e : expected.entrySet()) {
      Row a = actual.get(e.getKey());
      assertEquals(e.getValue().getDouble(1), a.getDouble(1), what + ": prediction of vertex " + e.getKey());
      assertEquals(e.getValue().<Vector>getAs(2), a.<Vector>getAs(2), what + ": probabilities of vertex " + e.getKey());
    }
  }

  /** GIN (hidden 32) and GAT (8 heads of 8): fit, export, and transform part by part. */
  @ParameterizedTest
  @CsvSource({"gin, 32", "gat, 8"})
  void otherArchitecturesFitAndScoreEveryVertexAsTheTrainingEvaluationDid(String arch, int hidden)
      throws Exception {
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> vertices = cora(spark);
    QuantizedGnnModel model = classifier().setArchitecture(arch).setHidden(hidden).fit(vertices);
    Dataset<Row> scored = model.transform(vertices);
    assertEquals(2708, scored.count(), "every Cora vertex is scored");
    assertEquals(arch, manifest(model).get("arch").asText());
    assertIntegerAccuracyNearRecorded(model, scored, 0.02);
  }

  private static JsonNode manifest(QuantizedGnnModel model) throws java.io.IOException {
    return new ObjectMapper().readTree(Files.readString(Path.of(
        new org.apache.hadoop.fs.Path(model.modelDir()).toUri()).resolve("model.json")));
  }

  /** The integer engine's test accuracy agrees with the fake-quant evaluation the train job recorded. */
  private static void assertIntegerAccuracyNearRecorded(QuantizedGnnModel model, Dataset<Row> scored,
      double tolerance) throws java.io.IOException {
    double recorded = manifest(model).get("metrics").get("test_accuracy").asDouble();
    Dataset<Row> test = scored.filter(col("split").equalTo("test"));
    double integerAccuracy = (double) test.filter(col("prediction").equalTo(col("y"))).count() / test.count();
    assertTrue(Math.abs(integerAccuracy - recorded) <= tolerance,
        "integer test accuracy " + integerAccuracy + " vs fake-quant " + recorded);
    assertTrue(recorded > 1.5 / 7, "trained better than chance: " + recorded);
  }

  @Test
  void pipelineFitSaveAndLoadInANewSessionGiveIdenticalPredictions(@TempDir Path tmp) throws Exception {
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> vertices = cora(spark);
    PipelineModel fitted = coraPipeline(vertices);
    QuantizedGnnModel model = (QuantizedGnnModel) fitted.stages()[0];
    assertEquals("vec", model.getFeaturesCol(), "column params are copied from the estimator");
    assertEquals(EDGES, model.getEdgesTable());

    Dataset<Row> scored = model.transform(vertices);
    assertEquals("double", scored.schema().apply("prediction").dataType().simpleString());
    Map<Long, Row> before = byId(scored, "prediction", "probability");
    assertEquals(2708, before.size(), "every Cora vertex is scored");
    for (Row r : before.values()) {
      double sum = 0;
      for (double p : r.<Vector>getAs(2).toArray()) {
        sum += p;
      }
      assertEquals(1.0, sum, 1e-9, "probabilities of vertex " + r.getLong(0) + " sum to one");
      assertEquals(r.<Vector>getAs(2).argmax(), (int) r.getDouble(1), "prediction is the most probable class");
    }
    assertIntegerAccuracyNearRecorded(model, scored, 0.01);

    String modelPath = tmp.resolve("model").toString();
    String pipelinePath = tmp.resolve("pipeline").toString();
    model.write().save(modelPath);
    fitted.write().save(pipelinePath);
    for (String f : List.of("model.json", "model.dq8", "metadata", "_SUCCESS")) {
      assertTrue(Files.exists(tmp.resolve("model").resolve(f)), "saved model holds " + f);
    }
    assertThrows(Exception.class, () -> model.write().save(modelPath), "an existing path is refused");
    model.write().overwrite().save(modelPath);

    spark.stop();
    SparkSession fresh = SparkTestSession.get();
    assertTrue(fresh.sparkContext() != spark.sparkContext(), "a new SparkContext");
    Dataset<Row> again = cora(fresh);
    QuantizedGnnModel loaded = QuantizedGnnModel.load(modelPath);
    assertEquals(model.uid(), loaded.uid());
    assertEquals("vec", loaded.getFeaturesCol());
    assertEquals(EDGES, loaded.getEdgesTable());
    assertSamePredictions(before, byId(loaded.transform(again), "prediction", "probability"), "loaded model");

    PipelineModel reloaded = PipelineModel.load(pipelinePath);
    assertSamePredictions(before, byId(reloaded.transform(again), "prediction", "probability"), "loaded pipeline");

    // a copy with other output names keeps the model directory and announces the new columns
    QuantizedGnnModel renamed = loaded.copy(ParamMap.empty()).setPredictionCol("cls").setProbabilityCol("p");
    assertEquals(loaded.modelDir(), renamed.modelDir());
    assertEquals("prediction", loaded.getPredictionCol(), "the copy's setters leave the original alone");
    var schema = renamed.transformSchema(again.schema());
    assertEquals("double", schema.apply("cls").dataType().simpleString());
    assertEquals("vector", schema.apply("p").dataType().simpleString());
  }

  /** GraphFrame in, GraphFrame out: the same seed gives the same model as the vertices + edgesTable form. */
  @Test
  void fitOnAGraphFrameEqualsFitOnVerticesWithAnEdgesTable() {
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> vertices = cora(spark);
    GraphFrame graph = GraphFrame.apply(vertices, spark.table(EDGES));
    // the same estimator settings and seed as the Pipeline's stage: fit(vertices) + edgesTable
    QuantizedGnnModel fromTable = (QuantizedGnnModel) coraPipeline(vertices).stages()[0];
    QuantizedGnnModel fromGraph = classifier().setEdgesTable("no_such_view").fit(graph);

    Dataset<Row> scored = fromGraph.transform(graph);
    assertEquals(2708, scored.count(), "every vertex of the GraphFrame is scored");
    assertSamePredictions(byId(fromTable.transform(vertices), "prediction", "probability"),
        byId(scored, "prediction", "probability"), "fit(GraphFrame) against fit(vertices) + edgesTable");

    GraphFrame out = fromGraph.transformGraph(graph);
    assertEquals(graph.edges().count(), out.edges().count(), "the scored GraphFrame keeps the edges");
    assertTrue(List.of(out.vertices().columns()).containsAll(List.of("id", "vec", "y", "split", "prediction",
        "probability")), "the scored GraphFrame keeps the vertex columns and adds the scores");
  }

  @Test
  void aGraphFrameWithoutTheNeededColumnsOrTypesIsAnErrorNamingTheColumn() {
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> vertices = cora(spark);
    Dataset<Row> edges = spark.table(EDGES);
    GraphFrame stringIds = GraphFrame.apply(vertices.withColumn("id", col("id").cast("string")),
        edges.withColumn("src", col("src").cast("string")).withColumn("dst", col("dst").cast("string")));
    Exception id = assertThrows(Exception.class, () -> classifier().fit(stringIds));
    assertTrue(id.getMessage().contains("'id'") && id.getMessage().contains("expected long or int"), id.getMessage());
    GraphFrame stringSrc = GraphFrame.apply(vertices, edges.withColumn("src", col("src").cast("string")));
    Exception src = assertThrows(Exception.class, () -> classifier().fit(stringSrc));
    assertTrue(src.getMessage().contains("GraphFrame's edges") && src.getMessage().contains("'src'"), src.getMessage());
    GraphFrame noFeatures = GraphFrame.apply(vertices.drop("vec"), edges);
    Exception features = assertThrows(Exception.class, () -> classifier().fit(noFeatures));
    assertTrue(features.getMessage().contains("featuresCol = 'vec'"), features.getMessage());
    GraphFrame textFeatures = GraphFrame.apply(vertices.withColumn("vec", lit("0.1;0.2")), edges);
    Exception type = assertThrows(Exception.class, () -> classifier().fit(textFeatures));
    assertTrue(type.getMessage().contains("featuresCol = 'vec' is string; expected"), type.getMessage());
  }

  @Test
  void anUnfittedEstimatorSavesAndLoadsWithItsParams(@TempDir Path tmp) throws Exception {
    SparkTestSession.get();
    DegreeQuantClassifier c = classifier().setPrecision("int4").setMethod("qat").setPLow(0.05).setHidden(32);
    String path = tmp.resolve("estimator").toString();
    new Pipeline().setStages(new PipelineStage[] {c}).write().save(path);
    DegreeQuantClassifier back = (DegreeQuantClassifier) Pipeline.load(path).getStages()[0];
    assertEquals(c.uid(), back.uid());
    for (var p : c.params()) {
      assertEquals(c.isSet(p), back.isSet(back.getParam(p.name())), p.name() + " set");
      if (c.isDefined(p)) {
        assertEquals(c.getOrDefault(p), back.getOrDefault(back.getParam(p.name())), p.name());
      }
    }
    assertEquals(0.2, back.getPHigh(), "an unset bound still follows the precision after loading");
  }

  @Test
  void paramsHaveDefaultsAndValidationErrorsNameTheParam() {
    DegreeQuantClassifier c = new DegreeQuantClassifier();
    assertEquals("gcn", c.getArchitecture());
    assertEquals("int8", c.getPrecision());
    assertEquals(0.0, c.getPLow());
    assertEquals(0.1, c.getPHigh());
    assertEquals(0.2, c.setPrecision("int4").getPHigh(), "unset bounds follow the precision");
    for (String p : List.of("architecture", "precision", "method", "pLow", "pHigh", "epochs", "workers",
        "averagingFrequency", "hidden", "learningRate", "seed", "featuresCol", "labelCol", "splitCol",
        "predictionCol", "probabilityCol", "edgesTable", "scoringParts", "rowNormalize", "workDir", "partitionRounds")) {
      assertTrue(c.hasParam(p), "declares " + p);
      assertTrue(c.explainParams().contains(p + ":"), "documents " + p);
    }

    assertNamed(() -> c.setPrecision("int16"), "precision");
    assertNamed(() -> c.setArchitecture("mlp"), "architecture");
    assertNamed(() -> c.setMethod("ptq"), "method");
    assertNamed(() -> c.setEpochs(0), "epochs");
    assertNamed(() -> c.setWorkers(0), "workers");
    assertNamed(() -> c.setAveragingFrequency(-1), "averagingFrequency");
    assertNamed(() -> c.setLearningRate(0), "learningRate");
    assertNamed(() -> c.setPLow(1.5), "pLow");
    assertNamed(() -> c.setSeed(-1), "seed");

    DegreeQuantClassifier copy = c.copy(new ParamMap().put(c.epochs(), 3));
    assertEquals(3, copy.getEpochs());
    assertEquals(TrainingOptions.defaults(Architecture.GCN, false).epochs, c.getEpochs(),
        "copy leaves the original alone");

    // settings left unset are the architecture's published ones, and the train job picks them
    DegreeQuantClassifier gat = new DegreeQuantClassifier().setArchitecture("gat");
    assertEquals(8, gat.getHidden());
    assertEquals(0.005, gat.getLearningRate());
    TrainSettings sent = gat.settings("/in");
    assertFalse(sent.has("hidden") || sent.has("learning_rate") || sent.has("epochs"), sent.asMap().toString());
    assertEquals("32", gat.setHidden(32).settings("/in").string("hidden", null));
    assertEquals(c.uid(), copy.uid());

    SparkSession spark = SparkTestSession.get();
    Dataset<Row> vertices = cora(spark);
    Exception range = assertThrows(Exception.class,
        () -> classifier().setPLow(0.3).setPHigh(0.1).fit(vertices));
    assertTrue(range.getMessage().contains("pLow") && range.getMessage().contains("pHigh"), range.getMessage());
    Exception fp32 = assertThrows(Exception.class, () -> classifier().setPrecision("fp32").fit(vertices));
    assertTrue(fp32.getMessage().contains("precision = fp32"), fp32.getMessage());
    Exception column = assertThrows(Exception.class, () -> classifier().setFeaturesCol("x").fit(vertices));
    assertTrue(column.getMessage().contains("featuresCol = 'x'"), column.getMessage());
    Exception label = assertThrows(Exception.class,
        () -> classifier().fit(vertices.withColumn("y", col("y").plus(0.5))));
    assertTrue(label.getMessage().contains("labelCol = 'y'"), label.getMessage());
  }

  @Test
  void aMissingEdgesTableIsAClearErrorNamingIt() {
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> vertices = cora(spark);
    Exception notSet = assertThrows(Exception.class,
        () -> new DegreeQuantClassifier().setFeaturesCol("vec").setLabelCol("y").fit(vertices));
    assertTrue(notSet.getMessage().contains("edgesTable is not set"), notSet.getMessage());
    Exception missing = assertThrows(Exception.class, () -> classifier().setEdgesTable("no_such_view").fit(vertices));
    assertTrue(missing.getMessage().contains("edgesTable = 'no_such_view'"), missing.getMessage());
    QuantizedGnnModel model = new QuantizedGnnModel("m", "/nonexistent").setFeaturesCol("vec")
        .setEdgesTable("no_such_view");
    Exception scoring = assertThrows(Exception.class, () -> model.transform(vertices));
    assertTrue(scoring.getMessage().contains("edgesTable = 'no_such_view'"), scoring.getMessage());
  }

  private static void assertNamed(org.junit.jupiter.api.function.Executable call, String param) {
    Exception e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains("parameter " + param + " "), e.getMessage());
  }
}
