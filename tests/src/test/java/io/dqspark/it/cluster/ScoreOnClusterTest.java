package io.dqspark.it.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dqspark.jobs.common.Json;
import io.dqspark.jobs.score.CoraModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Tag;

/**
 * {@code bin/dq score} submitted to a standalone cluster: 16 parts scored by two executor JVMs,
 * each of which loads the model exactly once, with the whole-graph integer run's predictions.
 */
@Tag("integration")
class ScoreOnClusterTest {
  @RegisterExtension
  static final StandaloneClusterExtension SPARK = new StandaloneClusterExtension(2, "1536m");

  @Test
  void eachExecutorLoadsTheModelOnceWhileScoringSixteenParts() throws IOException {
    StandaloneCluster cluster = SPARK.cluster();
    CoraModels.Published model = CoraModels.publish(cluster.newFolder("models"), 10); // accuracy is not the point here
    Path out = cluster.newFolder("scores").resolve("cora");
    StandaloneCluster.Submitted r = cluster.submit("io.dqspark.jobs.DqCli",
        List.of("score", "--model", model.dir().toString(),
            "--input", Path.of(System.getProperty("dq.repo.root"), "data/planetoid/cora").toString(),
            "--input-format", "planetoid", "--name", "cora", "--parts", "16",
            "--output-format", "csv", "--out", out.toString()),
        Map.of(), Duration.ofMinutes(4));
    assertEquals(0, r.exitCode(), r.output());
    assertTrue(r.output().contains("test accuracy"), r.output());

    JsonNode report = Json.mapper().readTree(out.resolve("scores.json").toFile());
    assertEquals(16, report.get("parts").asInt());
    JsonNode loads = report.get("model_loads");
    int executors = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = loads.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      assertEquals(1, e.getValue().asInt(), "loads of " + e.getKey() + " in " + loads);
      executors += "driver".equals(e.getKey()) ? 0 : 1;
    }
    assertEquals(2, executors, "both executor JVMs scored parts: " + loads);

    int[] reference = model.wholeGraph().predictions();
    var v = model.cora().vertices();
    int rows = 0;
    try (Stream<Path> files = Files.list(out)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".csv")).toList()) {
        List<String> lines = Files.readAllLines(f);
        assertEquals("id,prediction", lines.get(0));
        for (String line : lines.subList(1, lines.size())) {
          String[] c = line.split(",");
          assertEquals(reference[v.rowOf(Long.parseLong(c[0]))], Integer.parseInt(c[1]), line);
          rows++;
        }
      }
    }
    assertEquals(v.size(), rows);
  }

  /**
   * Issue 15: a user's program submitted with the cluster jar (which alone brings GraphFrames:
   * the cluster's Spark installation lacks it) fits a GraphFrame and scores it on the executors.
   */
  @Test
  void aUserApplicationFitsAndScoresAGraphFrameWithTheClusterJar() throws IOException {
    StandaloneCluster cluster = SPARK.cluster();
    Path tables = cluster.newFolder("graphframe").resolve("cora-tables");
    StandaloneCluster.Submitted ingest = cluster.submit("io.dqspark.jobs.DqCli",
        List.of("ingest", "--input", Path.of(System.getProperty("dq.repo.root"), "data/planetoid/cora").toString(),
            "--input-format", "planetoid", "--name", "cora", "--out", tables.toString()),
        Map.of(), Duration.ofMinutes(3));
    assertEquals(0, ingest.exitCode(), ingest.output());

    Path app = UserJar.of(cluster.newFolder("app").resolve("graphframe-app.jar"), GraphFrameFitApp.class);
    StandaloneCluster.Submitted r = cluster.submit(GraphFrameFitApp.class.getName(),
        List.of(tables.toString(), cluster.newFolder("graphframe-work").toString()),
        Map.of("spark.jars", app.toString()), Duration.ofMinutes(8));
    assertEquals(0, r.exitCode(), r.output());
    Matcher m = Pattern.compile("scored (\\d+) vertices; integer test accuracy ([0-9.]+)").matcher(r.output());
    assertTrue(m.find(), r.output());
    assertEquals(2708, Integer.parseInt(m.group(1)), "every Cora vertex is scored");
    Matcher dir = Pattern.compile("model (\\S+)").matcher(r.output());
    assertTrue(dir.find(), r.output());
    Path modelDir = Path.of(new org.apache.hadoop.fs.Path(dir.group(1)).toUri().getPath());
    JsonNode manifest = Json.mapper().readTree(modelDir.resolve("model.json").toFile());
    double recorded = manifest.get("metrics").get("test_accuracy").asDouble();
    double integer = Double.parseDouble(m.group(2));
    assertTrue(Math.abs(integer - recorded) <= 0.02, "integer " + integer + " vs fake-quant " + recorded);
    assertTrue(recorded > 0.5, "20 epochs of DQ INT8 GCN learn Cora: " + recorded);
  }
}
