package io.dqspark.jobs.score;

import static io.dqspark.jobs.score.PartitionedNodeScorerTest.assertInputError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dqspark.jobs.SparkTestSession;
import io.dqspark.jobs.ingest.GraphReader;
import io.dqspark.jobs.ingest.InputFormat;
import io.dqspark.jobs.ingest.InputOptions;
import io.dqspark.model.IntegerGcn;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The SQL functions: one graph per row, null rows, bad rows, one model load per JVM. */
class DqFunctionsTest {
  private static CoraModels.Published published;
  private static DqFunctions functions;
  private static String model;

  @BeforeAll
  static void register() {
    SparkSession spark = SparkTestSession.get();
    published = CoraModels.shared();
    model = published.dir().toString();
    functions = DqFunctions.register(spark);
    InputOptions in = InputOptions.of(SparkTestSession.data("planetoid/cora"), InputFormat.PLANETOID, "cora");
    var cora = GraphReader.read(spark, in);
    cora.vertices().createOrReplaceTempView("cora_vertices");
    cora.edges().createOrReplaceTempView("cora_edges");
  }

  private static String m() {
    return "'" + model + "'";
  }

  @Test
  void wholeCoraInOneRowScoresLikeTheWholeGraphRun() {
    SparkSession spark = SparkTestSession.get();
    var v = published.cora().vertices();
    for (int i = 0; i < v.size(); i++) {
      assertEquals(i, v.id(i), "Cora's ids are its row numbers, so they index the row's arrays");
    }
    Row r = spark.sql("SELECT dq_predict_nodes(" + m() + ", f.features, e.src, e.dst) AS p FROM "
        + "(SELECT transform(sort_array(collect_list(struct(id, features))), x -> x.features) AS features "
        + "FROM cora_vertices) f CROSS JOIN "
        + "(SELECT collect_list(src) AS src, collect_list(dst) AS dst FROM cora_edges) e").first();
    List<Row> nodes = r.getList(0);
    IntegerGcn.Result ref = published.wholeGraph();
    int[] predicted = ref.predictions();
    assertEquals(v.size(), nodes.size());
    for (int i = 0; i < nodes.size(); i++) {
      assertEquals(predicted[i], nodes.get(i).getInt(0), "node " + i);
      double[] p = ref.probabilities(i);
      List<Double> got = nodes.get(i).getList(1);
      for (int c = 0; c < p.length; c++) {
        assertEquals(p[c], got.get(c), 0.0);
      }
    }
    Map<String, Integer> loads = functions.loadsByExecutor();
    assertTrue(loads.values().stream().allMatch(n -> n == 1), "one load per JVM: " + loads);
  }

  @Test
  void nullRowsGiveNull() {
    Row r = SparkTestSession.get().sql("SELECT dq_predict_nodes(" + m()
        + ", CAST(NULL AS ARRAY<ARRAY<FLOAT>>), array(0L), array(0L)),"
        + " dq_predict_graph(" + m() + ", array(array(1.0f)), CAST(NULL AS ARRAY<BIGINT>), array(0L)),"
        + " dq_predict_nodes(CAST(NULL AS STRING), array(array(1.0f)), array(0L), array(0L))").first();
    assertTrue(r.isNullAt(0) && r.isNullAt(1) && r.isNullAt(2));
  }

  private static void assertQueryFails(String select, String message) {
    Exception e = assertThrows(Exception.class, () -> SparkTestSession.get().sql(select).collect());
    assertInputError(e, message);
  }

  private static String zeros(int n) {
    return "array_repeat(CAST(0 AS FLOAT), " + n + ")";
  }

  @Test
  void badRowsAreNamedAndTheExecutorKeepsWorking() {
    assertQueryFails("SELECT dq_predict_nodes(" + m() + ", array(array(1.0f, 2.0f)), array(0L), array(0L))",
        "dq_predict_nodes: node 0 has 2 features; the model expects 1433");
    assertQueryFails("SELECT dq_predict_nodes(" + m() + ", array(" + zeros(1433) + ", concat(array(CAST('NaN' AS FLOAT)), "
        + zeros(1432) + ")), array(0L), array(1L))",
        "dq_predict_nodes: node 1 has a non-finite feature NaN at index 0");
    assertQueryFails("SELECT dq_predict_nodes(" + m() + ", array(" + zeros(1433) + ", " + zeros(1433)
        + "), array(0L, 5L), array(1L, 0L))",
        "dq_predict_nodes: src[1] = 5 is not a node of the row's graph (valid: 0..1)");
    assertQueryFails("SELECT dq_predict_graph(" + m() + ", array(" + zeros(1433) + "), array(0L), array(0L))",
        "dq_predict_graph needs a graph-level model, this is a node-level gcn");
    // the same session and executor score a good row afterwards
    Row ok = SparkTestSession.get().sql("SELECT dq_predict_nodes(" + m() + ", array(" + zeros(1433) + ", "
        + zeros(1433) + "), array(0L), array(1L))").first();
    assertEquals(2, ok.getList(0).size());
  }
}
