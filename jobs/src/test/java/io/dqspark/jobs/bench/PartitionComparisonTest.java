package io.dqspark.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dqspark.jobs.CliRunner;
import io.dqspark.jobs.SparkTestSession;
import io.dqspark.jobs.common.Json;
import io.dqspark.jobs.common.SparkGraph;
import io.dqspark.jobs.ingest.GraphReader;
import io.dqspark.jobs.ingest.InputFormat;
import io.dqspark.jobs.ingest.InputOptions;
import io.dqspark.jobs.partition.BalancedLabelPropagation;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

/**
 * The core of {@code bin/dq bench partition} on the bundled Cora (2,708 nodes, 10,556 directed
 * edges): every labelling covers each node once, the measured cut equals a count made edge by edge
 * in the driver, the balanced label propagation stays within its bound, and GraphFrames'
 * communities are packed whole.
 */
@Tag("integration")
class PartitionComparisonTest {
  private static final int K = 4;
  private static final double EPS = 0.05;

  private static SparkSession spark;
  private static Dataset<Row> ids;
  private static Dataset<Row> edges;
  private static List<Long> vertexIds;
  private static List<long[]> edgeList;

  @BeforeAll
  static void loadCora() {
    spark = SparkTestSession.get();
    InputOptions in = InputOptions.of(SparkTestSession.data("planetoid/cora"), InputFormat.PLANETOID, "cora");
    SparkGraph cora = GraphReader.read(spark, in);
    ids = cora.vertices().select("id").cache();
    edges = cora.edges().select("src", "dst").cache();
    vertexIds = ids.collectAsList().stream().map(r -> r.getLong(0)).toList();
    edgeList = edges.collectAsList().stream().map(r -> new long[] {r.getLong(0), r.getLong(1)}).toList();
    assertEquals(2708, vertexIds.size());
    assertEquals(10_556, edgeList.size());
  }

  @AfterAll
  static void release() {
    ids.unpersist();
    edges.unpersist();
  }

  @Test
  void balancedLabelPropagationCoversEveryNodeOnceStaysWithinItsBoundAndBeatsHashing() {
    // 15 rounds rather than the job's 30 keep the test short; the load limits apply from round 1 on.
    PartitionComparison.Labelling l = PartitionComparison.balanced(ids, edges,
        new BalancedLabelPropagation.Settings(K, 15, EPS, 1.0, 42, BalancedLabelPropagation.STOP_FRACTION));
    assertTrue(l.iterations() >= 1 && l.iterations() <= 15, "rounds " + l.iterations());
    Map<Long, Integer> part = partOfEveryNodeOnce(l.labels(), K);
    PartitionComparison.Quality q = checkMeasuredAgainstDirectCount(l.labels(), part, K);

    double mean = 2708.0 / K;
    assertTrue(q.imbalance() <= 1 + EPS, "largest part " + q.maxPart() + " over mean " + mean);
    assertTrue(q.minPart() >= (1 - EPS) * mean, "smallest part " + q.minPart() + " under mean " + mean);
    assertEquals(K, q.nonEmptyParts());

    PartitionComparison.Labelling h = PartitionComparison.hash(ids, K, 42);
    PartitionComparison.Quality hq = checkMeasuredAgainstDirectCount(h.labels(), partOfEveryNodeOnce(h.labels(), K), K);
    assertTrue(q.cut() < 0.5 * hq.cut(), "balanced LPA cut " + q.cut() + " vs hash " + hq.cut());
    h.labels().unpersist();
  }

  @Test
  void graphFramesCommunitiesArePackedWholeAndOnlyEdgesBetweenThemAreCut() {
    PartitionComparison.Communities c = PartitionComparison.graphFramesCommunities(ids, edges, 5);
    Map<Long, Long> community = new HashMap<>();
    for (Row r : c.labels().collectAsList()) {
      assertEquals(null, community.put(r.getLong(0), r.getLong(1)), "node " + r.getLong(0) + " in two communities");
    }
    assertEquals(new HashSet<>(vertexIds), community.keySet());
    assertEquals(2708, java.util.Arrays.stream(c.sizes()).sum());
    assertEquals(new HashSet<>(community.values()).size(), c.count());
    for (int i = 1; i < c.sizes().length; i++) {
      assertTrue(c.sizes()[i - 1] >= c.sizes()[i], "communities are listed largest first");
    }

    PartitionComparison.Labelling packed = PartitionComparison.packCommunities(spark, c, K);
    assertEquals(5, packed.iterations());
    Map<Long, Integer> part = partOfEveryNodeOnce(packed.labels(), K);
    PartitionComparison.Quality q = checkMeasuredAgainstDirectCount(packed.labels(), part, K);

    Map<Long, Integer> partOfCommunity = new HashMap<>();
    for (Map.Entry<Long, Long> e : community.entrySet()) {
      Integer before = partOfCommunity.putIfAbsent(e.getValue(), part.get(e.getKey()));
      assertTrue(before == null || before.equals(part.get(e.getKey())), "community " + e.getValue() + " split");
    }
    long betweenCommunities = edgeList.stream().filter(e -> !community.get(e[0]).equals(community.get(e[1]))).count();
    assertTrue(q.cutEdges() <= betweenCommunities, q.cutEdges() + " cut, " + betweenCommunities + " between communities");
    // The part sizes are what largest-first packing of the community sizes gives.
    int[] bin = PartitionComparison.packLargestFirst(c.sizes(), K);
    long[] expected = new long[K];
    for (int i = 0; i < bin.length; i++) {
      expected[bin[i]] += c.sizes()[i];
    }
    assertArrayEquals(expected, q.sizes());
    packed.labels().unpersist();
    c.labels().unpersist();
  }

  @Test
  void largestFirstPackingFillsTheLightestPart() {
    assertArrayEquals(new int[] {0, 1, 1, 0, 1}, PartitionComparison.packLargestFirst(new long[] {5, 4, 3, 3, 1}, 2));
    // One community larger than a part: no packing of whole communities can balance it.
    assertArrayEquals(new int[] {0, 1, 2, 3, 3}, PartitionComparison.packLargestFirst(new long[] {90, 5, 3, 1, 1}, 4));
    assertArrayEquals(new int[] {0, 0, 0}, PartitionComparison.packLargestFirst(new long[] {3, 2, 1}, 1));
    PartitionComparison.Quality q = new PartitionComparison.Quality(100, 10, 1, new long[] {90, 6, 3, 1});
    assertEquals(3.6, q.imbalance(), 1e-12);
    assertEquals(0.1, q.cut(), 1e-12);
  }

  @Test
  void benchCommandWritesOneRowPerMethodAndPartCount(@TempDir Path tmp) throws Exception {
    Path json = tmp.resolve("bench-partition.json");
    CliRunner.Outcome r = CliRunner.run("bench", "partition", "--input", SparkTestSession.data("planetoid/cora"),
        "--input-format", "planetoid", "--name", "cora", "--parts", "2", "--gf-iterations", "2", "--max-rounds", "5",
        "--no-warmup",
        "--json", json.toString());
    assertEquals(0, r.exitCode(), r.err());
    JsonNode rows = Json.mapper().readTree(json.toFile());
    assertEquals(3, rows.size(), rows.toString());
    Set<String> methods = new HashSet<>();
    for (JsonNode row : rows) {
      methods.add(row.get("method").asText());
      assertEquals(2, row.get("k").asInt());
      assertEquals(2708, row.get("nodes").asLong());
      assertEquals(10_556, row.get("edges").asLong());
      long max = row.get("max_part").asLong();
      assertEquals(max / 1354.0, row.get("imbalance").asDouble(), 1e-12);
      assertEquals(row.get("cut_edges").asDouble() / 10_556, row.get("cut").asDouble(), 1e-12);
      assertTrue(row.get("seconds").asDouble() > 0, row.toString());
      assertTrue(row.get("cpu").asText().startsWith("CPU "), row.toString());
      for (String field : List.of("iterations", "parts", "min_part")) {
        assertTrue(row.hasNonNull(field), field + " in " + row);
      }
    }
    assertEquals(Set.of(PartitionComparison.BALANCED, PartitionComparison.GRAPHFRAMES, PartitionComparison.HASH),
        methods);
  }

  /** Collects a labelling, checking that each node of Cora appears once with a part in 0..k-1. */
  private static Map<Long, Integer> partOfEveryNodeOnce(Dataset<Row> labels, int k) {
    Map<Long, Integer> part = new HashMap<>();
    for (Row r : labels.collectAsList()) {
      int p = r.getInt(1);
      assertTrue(p >= 0 && p < k, "part " + p);
      assertEquals(null, part.put(r.getLong(0), p), "node " + r.getLong(0) + " labelled twice");
    }
    assertEquals(new HashSet<>(vertexIds), part.keySet(), "every node labelled");
    return part;
  }

  /** Measures with Spark, recounts edge by edge in the driver, and checks the two agree. */
  private static PartitionComparison.Quality checkMeasuredAgainstDirectCount(Dataset<Row> labels,
      Map<Long, Integer> part, int k) {
    PartitionComparison.Quality q = PartitionComparison.quality(labels, edges, k);
    long cut = 0;
    for (long[] e : edgeList) {
      if (!part.get(e[0]).equals(part.get(e[1]))) {
        cut++;
      }
    }
    long[] sizes = new long[k];
    part.values().forEach(p -> sizes[p]++);
    assertEquals(cut, q.cutEdges());
    assertEquals(edgeList.size(), q.edges());
    assertEquals(2708, q.nodes());
    assertArrayEquals(sizes, q.sizes());
    return q;
  }
}
