package io.dqspark.jobs.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.dqspark.jobs.SparkTestSession;
import io.dqspark.jobs.ingest.GraphReader;
import io.dqspark.jobs.ingest.InputFormat;
import io.dqspark.jobs.ingest.InputOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

/**
 * {@link DqSqlExtensions}: a session in a fresh JVM, given only {@code spark.sql.extensions}, runs
 * {@code dq_predict_nodes} and {@code dq_predict_graph} and gets what {@link DqFunctions#register}
 * gives on the same rows (and, for the whole of Cora, what the integer engine gives). A child JVM
 * because Spark applies extensions only when it creates a session, and this JVM already has one.
 */
@Tag("integration")
class DqSqlExtensionsTest {
  static String nodesQuery(String model) {
    return "SELECT graph_id, dq_predict_nodes('" + model + "', features, src, dst) AS p FROM cora_graphs "
        + "ORDER BY graph_id";
  }

  static String graphsQuery(String model) {
    return "SELECT graph_id, dq_predict_graph('" + model + "', features, src, dst) AS p FROM mutag_graphs "
        + "ORDER BY graph_id";
  }

  @Test
  void aSessionGivenOnlyTheConfigurationLineScoresLikeTheRegisteredFunctions(@TempDir Path tmp) throws Exception {
    SparkSession spark = SparkTestSession.get();
    CoraModels.Published cora = CoraModels.shared();
    TuModels.Published mutag = TuModels.publish(tmp.resolve("models"), "MUTAG", 5, 16, 3);
    Path in = tmp.resolve("in");
    coraRows(spark).write().parquet(in.resolve("cora").toString());
    mutagRows(spark).write().parquet(in.resolve("mutag").toString());

    Path out = tmp.resolve("out");
    List<String> printed = runChild(tmp, in, out, cora.dir(), mutag.dir());

    // the same queries on the same rows through DqFunctions.register, in this JVM's session
    DqFunctions.register(spark);
    spark.read().parquet(in.resolve("cora").toString()).createOrReplaceTempView("cora_graphs");
    spark.read().parquet(in.resolve("mutag").toString()).createOrReplaceTempView("mutag_graphs");
    List<Row> nodes = spark.read().parquet(out.resolve("nodes").toString()).orderBy("graph_id").collectAsList();
    List<Row> graphs = spark.read().parquet(out.resolve("graphs").toString()).orderBy("graph_id").collectAsList();
    List<Row> expectedNodes = spark.sql(nodesQuery(cora.dir().toString())).collectAsList();
    List<Row> expectedGraphs = spark.sql(graphsQuery(mutag.dir().toString())).collectAsList();

    assertEquals(3, nodes.size());
    assertTrue(nodes.get(1).isNullAt(1), "a null features array gives null");
    assertScoredAlike(expectedNodes, nodes, "dq_predict_nodes", true);
    assertEquals(189, graphs.size(), "188 MUTAG graphs and a null row");
    assertTrue(graphs.get(0).isNullAt(1), "a null features array gives null");
    assertScoredAlike(expectedGraphs, graphs, "dq_predict_graph", false);

    // the whole of Cora in one row: the whole-graph integer run, node by node
    int[] predicted = cora.wholeGraph().predictions();
    List<Row> coraNodes = nodes.get(0).getList(1);
    assertEquals(predicted.length, coraNodes.size());
    for (int v = 0; v < predicted.length; v++) {
      assertEquals(predicted[v], coraNodes.get(v).getInt(0), "Cora node " + v);
    }

    assertEquals("describe: Usage: dq_predict_graph(model, features, src, dst) - a graph-level model's class for the "
        + "row's whole graph: struct<prediction: int, probabilities: array<double>>; null when an argument is "
        + "null.", line(printed, "describe: "));
    assertEquals("wrong-args: org.apache.spark.sql.AnalysisException 42605 [WRONG_NUM_ARGS.WITHOUT_SUGGESTION] "
        + "dq_predict_nodes takes 4 arguments (model, features, src, dst), got 3. See DESCRIBE FUNCTION EXTENDED "
        + "dq_predict_nodes.; line 1 pos 7", line(printed, "wrong-args: "));
    assertEquals("new-session: null", line(printed, "new-session: "));
  }

  /** Row by row: the graph id, null or not, and every prediction and probability exactly. */
  private static void assertScoredAlike(List<Row> expected, List<Row> got, String function, boolean perNode) {
    assertEquals(expected.size(), got.size(), function + " rows");
    for (int r = 0; r < expected.size(); r++) {
      Row e = expected.get(r);
      Row g = got.get(r);
      String where = function + ", graph " + e.getLong(0);
      assertEquals(e.getLong(0), g.getLong(0), where);
      assertEquals(e.isNullAt(1), g.isNullAt(1), where + ": null");
      if (e.isNullAt(1)) {
        continue;
      }
      List<Row> es = perNode ? e.getList(1) : List.of(e.getStruct(1));
      List<Row> gs = perNode ? g.getList(1) : List.of(g.getStruct(1));
      assertEquals(es.size(), gs.size(), where + ": nodes");
      for (int v = 0; v < es.size(); v++) {
        assertEquals(es.get(v).getInt(0), gs.get(v).getInt(0), where + ", node " + v + ": prediction");
        assertEquals(es.get(v).getList(1), gs.get(v).getList(1), where + ", node " + v + ": probabilities");
      }
    }
  }

  private static String line(List<String> printed, String prefix) {
    return printed.stream().filter(l -> l.startsWith(prefix)).findFirst()
        .orElseGet(() -> fail("the child printed no '" + prefix + "' line:\n" + String.join("\n", printed)));
  }

  /** Whole Cora as row 0 (ids are row numbers), a null row, and a two-node graph. */
  private static Dataset<Row> coraRows(SparkSession spark) {
    InputOptions o = InputOptions.of(SparkTestSession.data("planetoid/cora"), InputFormat.PLANETOID, "cora");
    var g = GraphReader.read(spark, o);
    g.vertices().createOrReplaceTempView("ext_cora_vertices");
    g.edges().createOrReplaceTempView("ext_cora_edges");
    return spark.sql("SELECT 0L AS graph_id, f.features, e.src, e.dst FROM "
        + "(SELECT transform(sort_array(collect_list(struct(id, features))), x -> x.features) AS features "
        + "FROM ext_cora_vertices) f CROSS JOIN "
        + "(SELECT collect_list(src) AS src, collect_list(dst) AS dst FROM ext_cora_edges) e "
        + "UNION ALL SELECT 1L, CAST(NULL AS ARRAY<ARRAY<FLOAT>>), array(0L), array(0L) "
        + "UNION ALL SELECT 2L, array(array_repeat(CAST(0 AS FLOAT), 1433), array_repeat(CAST(1 AS FLOAT), 1433)), "
        + "array(0L, 1L), array(1L, 0L)");
  }

  /** One row per MUTAG graph: raw features in id order, edges as indices into them; and a null row. */
  private static Dataset<Row> mutagRows(SparkSession spark) {
    InputOptions o = InputOptions.of(SparkTestSession.data("tu/MUTAG"), InputFormat.TU, "MUTAG");
    var g = GraphReader.read(spark, o);
    g.vertices().createOrReplaceTempView("ext_mutag_vertices");
    g.edges().createOrReplaceTempView("ext_mutag_edges");
    return spark.sql("WITH v AS (SELECT graph_id, id, features, "
        + "CAST(row_number() OVER (PARTITION BY graph_id ORDER BY id) - 1 AS BIGINT) AS i FROM ext_mutag_vertices), "
        + "n AS (SELECT graph_id, transform(sort_array(collect_list(struct(i, features))), x -> x.features) "
        + "AS features FROM v GROUP BY graph_id), "
        + "e AS (SELECT e.graph_id, sort_array(collect_list(struct(s.i AS s, d.i AS d))) AS pairs "
        + "FROM ext_mutag_edges e JOIN v s ON e.graph_id = s.graph_id AND e.src = s.id "
        + "JOIN v d ON e.graph_id = d.graph_id AND e.dst = d.id GROUP BY e.graph_id) "
        + "SELECT n.graph_id, n.features, transform(e.pairs, p -> p.s) AS src, transform(e.pairs, p -> p.d) AS dst "
        + "FROM n JOIN e ON n.graph_id = e.graph_id "
        + "UNION ALL SELECT -1L, CAST(NULL AS ARRAY<ARRAY<FLOAT>>), array(0L), array(0L)");
  }

  /** Runs {@link SqlExtensionsSession} in a new JVM with the project's flags; returns what it printed. */
  private static List<String> runChild(Path tmp, Path in, Path out, Path coraModel, Path mutagModel)
      throws IOException, InterruptedException {
    Path root = SparkTestSession.repoRoot();
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx2g");
    cmd.add("@" + root.resolve("conf/java17.args"));
    cmd.add("-Dlog4j2.configurationFile=" + root.resolve("conf/log4j2.properties"));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(SqlExtensionsSession.class.getName());
    cmd.addAll(List.of(in.toString(), out.toString(), coraModel.toString(), mutagModel.toString()));
    Path log = tmp.resolve("child.log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process p = pb.start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly().waitFor();
      fail("the extension session's JVM did not finish in 5 minutes:\n" + Files.readString(log));
    }
    String text = Files.readString(log, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), "the extension session's JVM failed:\n" + text);
    return text.lines().toList();
  }
}
