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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code bin/dq score} submitted to a standalone cluster: 16 parts scored by two executor JVMs,
 * each of which loads the model exactly once, with the whole-graph integer run's predictions.
 */
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
}
