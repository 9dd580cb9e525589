package io.dqspark.jobs.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dqspark.graph.Split;
import io.dqspark.jobs.CliRunner;
import io.dqspark.jobs.SparkTestSession;
import io.dqspark.jobs.common.Json;
import io.dqspark.model.FloatGcn;
import io.dqspark.model.ModelManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/dq score --engine fp32}: the model's FP32 network through the partitioned path. */
class ScoreJobEngineTest {
  /** The timing and shuffle fields every node-level scores.json carries. */
  static void assertTimingFields(JsonNode report, int layers) {
    assertTrue(report.get("wall_s").asDouble() > 0, report.toString());
    assertTrue(report.get("model_load_s").asDouble() >= 0, report.toString());
    assertEquals(layers, report.get("layer_seconds").size(), report.toString());
    for (JsonNode s : report.get("layer_seconds")) {
      assertTrue(s.asDouble() >= 0, report.toString());
    }
    assertEquals(layers, report.get("layer_shuffle_bytes").size(), report.toString());
    long sum = 0;
    for (JsonNode b : report.get("layer_shuffle_bytes")) {
      assertTrue(b.asLong() > 0, "every layer reads rows sent through a shuffle: " + report);
      sum += b.asLong();
    }
    assertEquals(sum, report.get("shuffle_bytes").asLong());
    assertTrue(report.get("shuffle_bytes_all_stages").asLong() >= sum, report.toString());
  }

  private static List<String[]> predictions(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      List<Path> csv = files.filter(p -> p.getFileName().toString().endsWith(".csv")).sorted().toList();
      List<String[]> rows = new java.util.ArrayList<>();
      for (Path f : csv) {
        List<String> l = Files.readAllLines(f);
        l.subList(1, l.size()).forEach(line -> rows.add(line.split(",")));
      }
      return rows;
    }
  }

  private static CliRunner.Outcome score(Path model, Path out, String... extra) {
    List<String> args = new java.util.ArrayList<>(List.of("score", "--model", model.toString(), "--input",
        SparkTestSession.data("planetoid/cora"), "--input-format", "planetoid", "--name", "cora",
        "--output-format", "csv", "--parts", "3", "--out", out.toString()));
    args.addAll(List.of(extra));
    return CliRunner.run(args.toArray(new String[0]));
  }

  @Test
  void fp32ScoresLikeTheWholeGraphFp32Engine(@TempDir Path tmp) throws IOException {
    CoraModels.Published model = CoraModels.shared();
    Path out = tmp.resolve("fp32");
    CliRunner.Outcome r = score(model.dir(), out, "--engine", "fp32");
    assertEquals(0, r.exitCode(), r.err());

    var v = model.cora().vertices();
    int[] reference = FloatGcn.predictions(model.fp32WholeGraph(), model.fp32().classes());
    List<String[]> rows = predictions(out);
    assertEquals(v.size(), rows.size());
    int correct = 0;
    int test = 0;
    for (String[] row : rows) {
      int i = v.rowOf(Long.parseLong(row[0]));
      assertEquals(reference[i], Integer.parseInt(row[1]), "node " + row[0]);
      if (v.split(i) == Split.TEST && v.hasLabel(i)) {
        test++;
        correct += reference[i] == v.label(i) ? 1 : 0;
      }
    }
    JsonNode report = Json.mapper().readTree(out.resolve("scores.json").toFile());
    assertEquals("fp32", report.get("engine").asText());
    assertEquals((double) correct / test, report.get("test_accuracy").asDouble(), 0.0);
    // the FP32 weights of a Degree-Quant network score about as its fake-quant forward did
    assertEquals(model.fakeQuantTestAccuracy(), report.get("test_accuracy").asDouble(), 0.05, report.toString());
    assertTimingFields(report, 2);
  }

  @Test
  void fp32NeedsTheFp32NetworkAndAKnownEngineName(@TempDir Path tmp) throws IOException {
    CoraModels.Published model = CoraModels.shared();
    Path intOnly = Files.createDirectories(tmp.resolve("int-only/cora/v1"));
    try (Stream<Path> files = Files.list(model.dir())) {
      for (Path f : files.filter(f -> !f.getFileName().toString().equals(ModelManifest.NETWORK)).toList()) {
        Files.copy(f, intOnly.resolve(f.getFileName()));
      }
    }
    Path out = tmp.resolve("no-network");
    CliRunner.Outcome r = score(intOnly, out, "--engine", "fp32");
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("--engine fp32 needs the model's FP32 network"), r.err());
    assertFalse(Files.exists(out));

    r = score(model.dir(), tmp.resolve("fp16"), "--engine", "fp16");
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("--engine must be int8 or fp32, got 'fp16'"), r.err());
  }
}
