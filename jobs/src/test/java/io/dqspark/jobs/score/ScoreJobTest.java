package io.dqspark.jobs.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dqspark.graph.Split;
import io.dqspark.jobs.CliRunner;
import io.dqspark.jobs.SparkTestSession;
import io.dqspark.jobs.common.Json;
import io.dqspark.model.ModelManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

/** {@code bin/dq score} through the command line, in local mode. */
@Tag("integration")
class ScoreJobTest {
  private static List<String> csvLines(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      List<Path> csv = files.filter(p -> p.getFileName().toString().endsWith(".csv")).sorted().toList();
      List<String> lines = new java.util.ArrayList<>();
      for (Path f : csv) {
        List<String> l = Files.readAllLines(f);
        assertEquals("id,prediction", l.get(0), f.toString());
        lines.addAll(l.subList(1, l.size()));
      }
      return lines;
    }
  }

  @Test
  void scoresCoraToCsvAndPrintsTheTestAccuracy(@TempDir Path tmp) throws IOException {
    CoraModels.Published model = CoraModels.shared();
    Path out = tmp.resolve("scores");
    CliRunner.Outcome r = CliRunner.run("score", "--model", model.dir().toString(), "--input",
        SparkTestSession.data("planetoid/cora"), "--input-format", "planetoid", "--name", "cora",
        "--output-format", "csv", "--parts", "3", "--out", out.toString());
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(Files.exists(out.resolve("_SUCCESS")));
    List<String> lines = csvLines(out);
    var v = model.cora().vertices();
    assertEquals(v.size(), lines.size());
    int[] reference = model.wholeGraph().predictions();
    int correct = 0;
    int test = 0;
    for (String line : lines) {
      String[] f = line.split(",");
      int row = v.rowOf(Long.parseLong(f[0]));
      assertEquals(reference[row], Integer.parseInt(f[1]), line);
      if (v.split(row) == Split.TEST && v.hasLabel(row)) {
        test++;
        correct += reference[row] == v.label(row) ? 1 : 0;
      }
    }
    JsonNode report = Json.mapper().readTree(out.resolve("scores.json").toFile());
    assertEquals(1000, report.get("test_nodes").asInt());
    assertEquals((double) correct / test, report.get("test_accuracy").asDouble(), 0.0);
    assertEquals(3, report.get("parts").asInt());
    assertTrue(report.get("row_normalize").asBoolean(), "auto follows the model's training settings");
    assertEquals("int8", report.get("engine").asText(), "the default engine");
    ScoreJobEngineTest.assertTimingFields(report, 2);
  }

  @Test
  void existingOutputAndUnpublishedModelAreRefused(@TempDir Path tmp) throws IOException {
    CoraModels.Published model = CoraModels.shared();
    Path out = Files.createDirectories(tmp.resolve("exists"));
    CliRunner.Outcome r = CliRunner.run("score", "--model", model.dir().toString(), "--input",
        SparkTestSession.data("planetoid/cora"), "--input-format", "planetoid", "--out", out.toString());
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("already exists"), r.err());

    Path half = tmp.resolve("half/cora/v2");
    Files.createDirectories(half);
    Files.copy(model.dir().resolve(ModelManifest.FILE), half.resolve(ModelManifest.FILE));
    Path out2 = tmp.resolve("half-scores");
    r = CliRunner.run("score", "--model", half.toString(), "--input", SparkTestSession.data("planetoid/cora"),
        "--input-format", "planetoid", "--out", out2.toString());
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("has no _SUCCESS"), r.err());
    assertFalse(Files.exists(out2));
  }
}
