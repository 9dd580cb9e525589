package io.dqspark.jobs.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dqspark.jobs.CliRunner;
import io.dqspark.jobs.SparkTestSession;
import io.dqspark.jobs.common.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

/** The parallel edge-list reader through the real ingest command. */
@Tag("integration")
class EdgeListIngestTest {
  @TempDir Path tmp;

  @Test
  void headerGivesIsolatedNodesAndCleaningIsCounted() throws IOException {
    Path in = tmp.resolve("g.txt");
    Files.writeString(in, "# a comment\n6 7\n0 1\n1 0\n1\t2\n2,3\n3 3\n0 1\n\n% another comment\n2 0\n");
    Path out = tmp.resolve("out");
    CliRunner.Outcome r = CliRunner.run("ingest", "--input", in.toString(), "--out", out.toString());
    assertEquals(0, r.exitCode(), r.err());

    SparkSession spark = SparkTestSession.get();
    List<Long> ids = spark.read().parquet(out + "/vertices").select("id").orderBy("id")
        .collectAsList().stream().map(x -> x.getLong(0)).collect(Collectors.toList());
    assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), ids, "the header's 6 nodes, 4 and 5 isolated");
    List<String> edges = spark.read().parquet(out + "/edges").orderBy("src", "dst").collectAsList().stream()
        .map(x -> x.getLong(1) + ">" + x.getLong(2)).collect(Collectors.toList());
    assertEquals(List.of("0>1", "1>0", "1>2", "2>0", "2>3"), edges);
    JsonNode report = Json.mapper().readTree(out.resolve("ingest.json").toFile());
    assertEquals(7, report.get("raw_edges").asLong());
    assertEquals(1, report.get("self_loops_dropped").asLong());
    assertEquals(1, report.get("duplicates_dropped").asLong());
    assertTrue(Files.exists(out.resolve("_SUCCESS")));
  }

  @Test
  void twoNumbersThatAreNotAHeaderAreAnEdge() throws IOException {
    Path in = tmp.resolve("g.txt");
    // "5 9" cannot be a header: only 2 edge lines follow, not 9.
    Files.writeString(in, "5 9\n1 2\n2 5\n");
    Path out = tmp.resolve("out");
    assertEquals(0, CliRunner.run("ingest", "--input", in.toString(), "--out", out.toString()).exitCode());
    assertEquals(3, SparkTestSession.get().read().parquet(out + "/edges").count());
    assertEquals(4, SparkTestSession.get().read().parquet(out + "/vertices").count(), "ids 1, 2, 5, 9");
  }

  @Test
  void malformedLineDeepInALargeFileIsReportedWithItsLineNumber() throws IOException {
    Path in = tmp.resolve("big.txt");
    StringBuilder sb = new StringBuilder("# generated\n");
    for (int i = 2; i <= 5000; i++) {
      sb.append(i == 3777 ? "17 x9\n" : (i % 97) + " " + (i % 89) + "\n");
    }
    Files.writeString(in, sb.toString());
    SparkSession spark = SparkTestSession.get();
    // Small splits put line 3777 in a later task, which knows only its byte offset.
    spark.sparkContext().hadoopConfiguration().set("mapreduce.input.fileinputformat.split.maxsize", "4096");
    try {
      Path out = tmp.resolve("out");
      CliRunner.Outcome r = CliRunner.run("ingest", "--input", in.toString(), "--out", out.toString());
      assertEquals(2, r.exitCode(), r.err());
      assertTrue(r.err().contains("big.txt:3777: expected two integer ids, got '17 x9'"), r.err());
      assertNoOutput(out);
    } finally {
      spark.sparkContext().hadoopConfiguration().unset("mapreduce.input.fileinputformat.split.maxsize");
    }
  }

  @Test
  void idBeyondTheHeaderIsAnErrorNamingTheLine() throws IOException {
    Path in = tmp.resolve("g.txt");
    Files.writeString(in, "3 2\n0 1\n1 7\n");
    Path out = tmp.resolve("out");
    CliRunner.Outcome r = CliRunner.run("ingest", "--input", in.toString(), "--header", "present",
        "--out", out.toString());
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("g.txt:3: id 7 out of range"), r.err());
    assertNoOutput(out);
  }

  @Test
  void missingInputIsNamed() {
    Path out = tmp.resolve("out");
    CliRunner.Outcome r = CliRunner.run("ingest", "--input", tmp.resolve("nope.txt").toString(), "--out", out.toString());
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("nope.txt") && r.err().contains("no such file"), r.err());
  }

  @Test
  void existingOutputIsRefusedUnlessOverwrite() throws IOException {
    Path in = tmp.resolve("g.txt");
    Files.writeString(in, "0 1\n1 2\n");
    Path out = tmp.resolve("out");
    Files.createDirectories(out);
    Files.writeString(out.resolve("precious.txt"), "keep me");
    CliRunner.Outcome r = CliRunner.run("ingest", "--input", in.toString(), "--out", out.toString());
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("already exists"), r.err());
    assertTrue(Files.exists(out.resolve("precious.txt")));
    assertEquals(0, CliRunner.run("ingest", "--input", in.toString(), "--out", out.toString(), "--overwrite").exitCode());
    assertFalse(Files.exists(out.resolve("precious.txt")));
    assertTrue(Files.exists(out.resolve("_SUCCESS")));
  }

  /** Neither the output nor a temporary sibling is left behind. */
  static void assertNoOutput(Path out) throws IOException {
    assertFalse(Files.exists(out), "no output after a failure");
    try (Stream<Path> siblings = Files.list(out.getParent())) {
      List<String> temps = siblings.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("." + out.getFileName())).collect(Collectors.toList());
      assertTrue(temps.isEmpty(), "temporary folders left: " + temps);
    }
  }

}
