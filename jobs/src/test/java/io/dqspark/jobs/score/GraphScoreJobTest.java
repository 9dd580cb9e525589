package io.dqspark.jobs.score;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dqspark.jobs.CliRunner;
import io.dqspark.jobs.SparkTestSession;
import io.dqspark.jobs.common.Json;
import io.dqspark.model.IntegerGin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

/** {@code bin/dq score} with a graph-level model: every PROTEINS graph, raw features, in local mode. */
@Tag("integration")
class GraphScoreJobTest {
  @Test
  void scoresEveryProteinsGraphFromRawFeaturesWithTheRecordedScale(@TempDir Path tmp) throws IOException {
    TuModels.Published proteins = TuModels.publish(tmp, "PROTEINS", 3, 16, 1);
    // the scale is far from 1 on PROTEINS (its node attribute reaches hundreds): unscaled input would be wrong
    double[] scale = io.dqspark.train.FeatureScaling.columnMaxAbs(proteins.raw());
    assertTrue(Arrays.stream(scale).max().orElse(0) > 100, Arrays.toString(scale));
    Path out = tmp.resolve("scores");
    CliRunner.Outcome r = CliRunner.run("score", "--model", proteins.dir().toString(), "--input",
        SparkTestSession.data("tu/PROTEINS"), "--input-format", "tu", "--output-format", "csv",
        "--out", out.toString());
    assertEquals(0, r.exitCode(), r.err());

    IntegerGin.Result reference = GraphBatches.run(proteins.model(), proteins.scaled());
    int[] expected = reference.predictions();
    List<String> lines = csvLines(out);
    int graphs = proteins.raw().graphs().size();
    assertEquals(graphs, lines.size());
    boolean[] seen = new boolean[graphs];
    for (String line : lines) {
      String[] f = line.split(",");
      int g = Integer.parseInt(f[0]);
      assertFalse(seen[g], "graph " + g + " scored twice");
      seen[g] = true;
      assertEquals(expected[g], Integer.parseInt(f[1]), "graph " + g);
    }
    int[] labels = proteins.raw().graphs().labels();
    int correct = 0;
    for (int g : proteins.fold().test()) {
      correct += expected[g] == labels[g] ? 1 : 0;
    }
    JsonNode report = Json.mapper().readTree(out.resolve("scores.json").toFile());
    assertEquals(graphs, report.get("graphs").asInt());
    assertEquals(proteins.fold().test().length, report.get("test_graphs").asInt());
    assertEquals((double) correct / proteins.fold().test().length, report.get("test_accuracy").asDouble(), 0.0);
    assertEquals(1, report.get("model_loads").get("driver").asInt(), report.toString());
  }

  @Test
  void rowFeaturesAreScaledBitForBitAsInTraining(@TempDir Path tmp) {
    TuModels.Published proteins = TuModels.publish(tmp, "PROTEINS", 1, 8, 1);
    ModelRef ref = ModelRef.resolve(new org.apache.hadoop.conf.Configuration(), proteins.dir().toString());
    var raw = proteins.raw().vertices();
    var scaled = proteins.scaled().vertices();
    List<List<Float>> rows = new ArrayList<>();
    int width = proteins.raw().featureDim();
    float[] want = new float[raw.size() * width];
    for (int v = 0; v < raw.size(); v++) {
      List<Float> row = new ArrayList<>();
      for (int j = 0; j < width; j++) {
        row.add(raw.features(v)[j]);
        want[v * width + j] = scaled.features(v)[j];
      }
      rows.add(row);
    }
    RowGraph g = RowGraph.of(rows, List.of(), List.of(), ref, "test");
    assertArrayEquals(want, g.features());
  }

  @Test
  void modelAndInputOfDifferentLevelsAreRefused(@TempDir Path tmp) {
    TuModels.Published mutag = TuModels.publish(tmp, "MUTAG", 1, 8, 1);
    CliRunner.Outcome r = CliRunner.run("score", "--model", mutag.dir().toString(), "--input",
        SparkTestSession.data("planetoid/cora"), "--input-format", "planetoid", "--out", tmp.resolve("x").toString());
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("is one big graph") && r.err().contains("classifies whole graphs"), r.err());
    assertFalse(Files.exists(tmp.resolve("x")));
  }

  private static List<String> csvLines(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      List<String> lines = new ArrayList<>();
      for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".csv")).sorted().toList()) {
        List<String> l = Files.readAllLines(f);
        if (!l.isEmpty()) {
          assertEquals("graph_id,prediction", l.get(0), f.toString());
          lines.addAll(l.subList(1, l.size()));
        }
      }
      return lines;
    }
  }
}
