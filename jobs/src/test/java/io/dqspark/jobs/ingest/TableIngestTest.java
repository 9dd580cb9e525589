package io.dqspark.jobs.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dqspark.graph.EdgeRules;
import io.dqspark.graph.EdgeTable;
import io.dqspark.graph.Split;
import io.dqspark.graph.VertexTable;
import io.dqspark.jobs.CliRunner;
import io.dqspark.jobs.SparkTestSession;
import io.dqspark.jobs.common.GraphSchemas;
import io.dqspark.jobs.common.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

/** Canonical Parquet/CSV tables through ingest: the cleaning rule on the executors and its errors. */
@Tag("integration")
class TableIngestTest {
  @TempDir Path tmp;

  private final SparkSession spark = SparkTestSession.get();

  @Test
  void executorCleaningEqualsTheLibRule() throws IOException {
    Random rnd = new Random(3);
    int n = 200;
    int m = 3000;
    long[] ids = new long[n];
    for (int i = 0; i < n; i++) {
      ids[i] = 1000 + 3L * i; // not 0..n-1: exercises the join path
    }
    long[] s = new long[m];
    long[] d = new long[m];
    for (int e = 0; e < m; e++) {
      s[e] = ids[rnd.nextInt(n)];
      d[e] = rnd.nextInt(10) == 0 ? s[e] : ids[rnd.nextInt(40)];
    }
    Path in = writeTables(ids, s, d, false);
    Path out = tmp.resolve("out");
    CliRunner.Outcome r = CliRunner.run("ingest", "--input", in.toString(), "--input-format", "parquet",
        "--out", out.toString());
    assertEquals(0, r.exitCode(), r.err());

    float[][] f = new float[n][2];
    int[] labels = new int[n];
    VertexTable v = new VertexTable(new long[n], ids, f, labels, new Split[n]);
    EdgeRules.Result lib = EdgeRules.clean(new EdgeTable(new long[m], s, d), v, EdgeRules.Options.DEFAULT, "t");
    List<String> expected = new ArrayList<>();
    for (int e = 0; e < lib.edges().size(); e++) {
      expected.add(lib.edges().src(e) + ">" + lib.edges().dst(e));
    }
    List<String> actual = spark.read().parquet(out + "/edges").orderBy("src", "dst").collectAsList().stream()
        .map(x -> x.getLong(1) + ">" + x.getLong(2)).collect(Collectors.toList());
    assertEquals(expected, actual);
    JsonNode report = Json.mapper().readTree(out.resolve("ingest.json").toFile());
    assertEquals(lib.counts().selfLoops(), report.get("self_loops_dropped").asLong());
    assertEquals(lib.counts().duplicates(), report.get("duplicates_dropped").asLong());
    assertTrue(lib.counts().duplicates() > 0 && lib.counts().selfLoops() > 0, "the data has both to clean");
  }

  @Test
  void unknownVertexFailsByDefaultAndIsCountedWhenDropped() throws IOException {
    long[] ids = {0, 1, 2, 3};
    Path in = writeTables(ids, new long[] {0, 1, 2, 9}, new long[] {1, 2, 3, 0}, false);
    Path out = tmp.resolve("out");
    CliRunner.Outcome r = CliRunner.run("ingest", "--input", in.toString(), "--out", out.toString());
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("9 -> 0") && r.err().contains("--drop-unknown"), r.err());
    EdgeListIngestTest.assertNoOutput(out);

    r = CliRunner.run("ingest", "--input", in.toString(), "--drop-unknown", "--out", out.toString());
    assertEquals(0, r.exitCode(), r.err());
    JsonNode report = Json.mapper().readTree(out.resolve("ingest.json").toFile());
    assertEquals(1, report.get("unknown_vertex_edges_dropped").asLong());
    assertEquals(3, report.get("edges").asLong());
  }

  @Test
  void nanFeatureNamesTheVertex() throws IOException {
    Path in = writeTables(new long[] {0, 1, 2}, new long[] {0, 1}, new long[] {1, 2}, true);
    Path out = tmp.resolve("out");
    CliRunner.Outcome r = CliRunner.run("ingest", "--input", in.toString(), "--out", out.toString());
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("vertex 2 has a null, NaN or infinite feature"), r.err());
    EdgeListIngestTest.assertNoOutput(out);
  }

  @Test
  void csvTablesRoundTripAndABadCellNamesTheFile() throws IOException {
    Path in = tmp.resolve("csv");
    Files.createDirectories(in.resolve("vertices"));
    Files.createDirectories(in.resolve("edges"));
    Files.writeString(in.resolve("vertices/part-0.csv"), "id,features,label,split\n0,0.5;1,1,train\n1,2;3,0,test\n2,4;5,,\n");
    Files.writeString(in.resolve("edges/part-0.csv"), "src,dst\n0,1\n1,2\n2,0\n");
    Path out = tmp.resolve("out");
    CliRunner.Outcome r = CliRunner.run("ingest", "--input", in.toString(), "--out", out.toString());
    assertEquals(0, r.exitCode(), r.err());
    Row v0 = spark.read().parquet(out + "/vertices").where("id = 0").first();
    assertEquals(Arrays.asList(0.5f, 1f), v0.getList(2));
    assertEquals(1, v0.getInt(3));
    assertEquals("train", v0.getString(4));

    Files.writeString(in.resolve("edges/part-0.csv"), "src,dst\n0,1\n1,two\n");
    Path out2 = tmp.resolve("out2");
    r = CliRunner.run("ingest", "--input", in.toString(), "--out", out2.toString());
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("part-0.csv") && r.err().contains("'two'"), r.err());
  }

  @Test
  void graphLevelTablesMustNameKnownGraphs() throws IOException {
    Path in = writeTables(new long[] {0, 1, 2}, new long[] {0}, new long[] {1}, false);
    // Vertices all sit in graph 0; the graphs table only knows graph 7.
    spark.createDataFrame(List.of(RowFactory.create(7L, 1, null)), GraphSchemas.GRAPHS).write().parquet(in + "/graphs");
    Path out = tmp.resolve("out");
    CliRunner.Outcome r = CliRunner.run("ingest", "--input", in.toString(), "--out", out.toString());
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("vertices name graph 0, which the graphs table lacks"), r.err());
    EdgeListIngestTest.assertNoOutput(out);
  }

  /** A GraphFrame's own tables (no graph_id, double features, an extra edge column) are read as they are. */
  @Test
  void aGraphFramesTablesAreReadAsTheyAre() throws IOException {
    List<Row> vertices = new ArrayList<>();
    for (long id = 10; id < 15; id++) {
      vertices.add(RowFactory.create(id, new double[] {id, 0.5}, (int) (id % 2), id == 10 ? "test" : "train"));
    }
    List<Row> edges = List.of(RowFactory.create(10L, 11L, "cites"), RowFactory.create(11L, 12L, "cites"),
        RowFactory.create(12L, 10L, "cites"), RowFactory.create(13L, 14L, "cites"));
    var v = spark.createDataFrame(vertices, new org.apache.spark.sql.types.StructType()
        .add("id", "long").add("features", "array<double>").add("label", "int").add("split", "string"));
    var e = spark.createDataFrame(edges, new org.apache.spark.sql.types.StructType()
        .add("src", "long").add("dst", "long").add("relationship", "string"));
    org.graphframes.GraphFrame g = org.graphframes.GraphFrame.apply(v, e);
    Path in = tmp.resolve("graphframe");
    g.vertices().write().parquet(in + "/vertices");
    g.edges().write().parquet(in + "/edges");

    Path out = tmp.resolve("out");
    CliRunner.Outcome r = CliRunner.run("ingest", "--input", in.toString(), "--out", out.toString());
    assertEquals(0, r.exitCode(), r.err());
    assertEquals(5, spark.read().parquet(out + "/vertices").count());
    List<Row> back = spark.read().parquet(out + "/edges").orderBy("src", "dst").collectAsList();
    assertEquals(List.of("10>11", "11>12", "12>10", "13>14"),
        back.stream().map(x -> x.getLong(1) + ">" + x.getLong(2)).collect(Collectors.toList()),
        "the edges as directed in the GraphFrame (a table is not symmetrised), in graph 0");
    assertTrue(back.stream().allMatch(x -> x.getLong(0) == 0L), "graph_id added as 0");
    Row ten = spark.read().parquet(out + "/vertices").filter("id = 10").first();
    assertEquals("test", ten.getAs("split"));
    assertEquals(List.of(10f, 0.5f), ten.getList(ten.fieldIndex("features")));
  }

  private Path writeTables(long[] ids, long[] src, long[] dst, boolean nanInLast) {
    List<Row> vertices = new ArrayList<>();
    for (int i = 0; i < ids.length; i++) {
      float x = nanInLast && i == ids.length - 1 ? Float.NaN : i;
      vertices.add(RowFactory.create(0L, ids[i], new Float[] {x, 1f}, 0, null));
    }
    List<Row> edges = new ArrayList<>();
    for (int e = 0; e < src.length; e++) {
      edges.add(RowFactory.create(0L, src[e], dst[e]));
    }
    Path in = tmp.resolve("in-" + System.nanoTime());
    spark.createDataFrame(vertices, GraphSchemas.VERTICES).write().parquet(in + "/vertices");
    spark.createDataFrame(edges, GraphSchemas.EDGES).repartition(3).write().parquet(in + "/edges");
    return in;
  }
}
