package io.dqspark.jobs.stats;

import static io.dqspark.jobs.SparkTestSession.data;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dqspark.graph.EdgeRules;
import io.dqspark.graph.EdgeTable;
import io.dqspark.graph.GraphDataset;
import io.dqspark.graph.GraphLevel;
import io.dqspark.graph.Split;
import io.dqspark.graph.VertexTable;
import io.dqspark.jobs.SparkTestSession;
import io.dqspark.jobs.common.SparkGraph;
import io.dqspark.jobs.ingest.LocalDatasets;
import io.dqspark.loaders.EdgeListFormat;
import io.dqspark.loaders.EdgeListLoader;
import io.dqspark.loaders.PlanetoidLoader;
import io.dqspark.loaders.TuLoader;
import io.dqspark.stats.DegreeStats;
import io.dqspark.stats.DegreeSummary;
import io.dqspark.stats.ProtectionRule;
import io.dqspark.util.HadoopFiles;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

/**
 * The Spark stats job's numbers equal the single-JVM computation's, node for node, bit for bit:
 * its in-degrees come from GraphFrames' {@code inDegrees}, the reference counts each node's
 * in-edges in one JVM (Cora, email-Enron, MUTAG per graph, a skewed graph with isolated nodes).
 */
@Tag("integration")
class DegreeStatisticsTest {

  @Test
  void coraWholeGraphMatchesSingleJvm() {
    GraphDataset cora = PlanetoidLoader.load(HadoopFiles.withDefaults(), data("planetoid/cora"), "cora",
        EdgeRules.Options.DEFAULT);
    assertSparkEqualsLib(cora, new ProtectionRule(0.0, 0.1), false);
  }

  @Test
  void emailEnronWholeGraphMatchesSingleJvm() {
    assertSparkEqualsLib(enron(), new ProtectionRule(0.0, 0.1), false);
  }

  private static GraphDataset enron() {
    return EdgeListLoader.load(HadoopFiles.withDefaults(), data("snap/email-Enron.txt"), "email-Enron",
        EdgeListFormat.HeaderMode.AUTO, false, EdgeRules.Options.DEFAULT);
  }

  @Test
  void mutagPerGraphMatchesSingleJvm() {
    GraphDataset mutag = TuLoader.load(HadoopFiles.withDefaults(), data("tu/MUTAG"), "MUTAG",
        EdgeRules.Options.DEFAULT);
    assertSparkEqualsLib(mutag, new ProtectionRule(0.1, 0.2), true);
  }

  @Test
  void skewedRandomGraphWithIsolatedNodesMatchesSingleJvm() {
    Random rnd = new Random(7);
    int n = 3000;
    int m = 20000;
    long[] g = new long[m];
    long[] s = new long[m];
    long[] d = new long[m];
    for (int i = 0; i < m; i++) {
      s[i] = rnd.nextInt(n - 100);
      // Squaring skews the in-degrees; the last 100 ids are never a source or a target.
      double u = rnd.nextDouble();
      d[i] = (long) (u * u * (n - 100));
    }
    float[][] f = new float[n][0];
    long[] ids = new long[n];
    for (int i = 0; i < n; i++) {
      ids[i] = i;
    }
    VertexTable v = new VertexTable(new long[n], ids, f, filled(n), new Split[n]);
    EdgeRules.Result cleaned = EdgeRules.clean(new EdgeTable(g, s, d), v, EdgeRules.Options.DEFAULT, "random");
    GraphDataset data = new GraphDataset("random", GraphLevel.NODE, 0, v, cleaned.edges(), null, cleaned.counts());
    assertSparkEqualsLib(data, new ProtectionRule(0.05, 0.3), false);
  }

  private static int[] filled(int n) {
    int[] l = new int[n];
    java.util.Arrays.fill(l, VertexTable.NO_LABEL);
    return l;
  }

  private static void assertSparkEqualsLib(GraphDataset data, ProtectionRule rule, boolean perGraph) {
    DegreeStats lib = DegreeStats.compute(data, rule, perGraph);
    SparkGraph graph = LocalDatasets.toSpark(SparkTestSession.get(), data, data.name(), "test");
    DegreeStatistics.Result spark = DegreeStatistics.compute(graph, rule, perGraph);

    Map<Long, Row> byId = new HashMap<>();
    for (Row r : spark.graph().vertices().select("id", "in_degree", "mask_prob").collectAsList()) {
      byId.put(r.getLong(0), r);
    }
    VertexTable v = data.vertices();
    assertEquals(v.size(), byId.size(), "one output row per node");
    for (int i = 0; i < v.size(); i++) {
      Row r = byId.get(v.id(i));
      assertEquals(lib.inDegree()[i], r.getInt(1), "in_degree of node " + v.id(i));
      assertEquals(lib.maskProb()[i], r.getDouble(2), 0.0, "mask_prob of node " + v.id(i));
    }
    DegreeSummary a = lib.summary();
    DegreeSummary b = spark.summary();
    assertEquals(a.nodes(), b.nodes());
    assertEquals(a.edges(), b.edges());
    assertEquals(a.graphs(), b.graphs());
    assertEquals(a.histogram(), b.histogram());
    assertEquals(a.quantiles(), b.quantiles());
    assertEquals(a.meanDegree(), b.meanDegree(), 0.0);
    assertEquals(a.maskProb().min(), b.maskProb().min(), 0.0);
    assertEquals(a.maskProb().max(), b.maskProb().max(), 0.0);
    // Summation order differs between one JVM and the executors; the mean may differ in the last bits.
    assertEquals(a.maskProb().mean(), b.maskProb().mean(), 1e-12);
    assertEquals(rule.pHigh(), b.maskProb().max(), 0.0, "the highest-degree node gets p_high");
  }

}
