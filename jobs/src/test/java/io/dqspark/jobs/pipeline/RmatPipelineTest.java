package io.dqspark.jobs.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dqspark.jobs.CliRunner;
import io.dqspark.jobs.common.Json;
import io.dqspark.model.ModelManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

/**
 * The whole pipeline on a generated graph, small: conf/rmat.conf at scale 9 for a few epochs runs
 * generate -> ingest -> stats -> partition -> train -> score -> report in this JVM.
 */
@Tag("integration")
class RmatPipelineTest {
  @Test
  void generatesTrainsScoresAndReports(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("run");
    CliRunner.Outcome o = CliRunner.run("pipeline", "conf/rmat.conf", "--out", out.toString(),
        "--set", "rmat_scale=9", "--set", "epochs=5");
    assertEquals(0, o.exitCode(), o.err());
    for (String f : List.of("report.md", "report.html", "degree-histogram.png", "mask-probability.png",
        "accuracy.png", "scoring-time.png", "model-size.png")) {
      assertTrue(Files.size(out.resolve(f)) > 0, f);
    }
    Path model = out.resolve("models/rmat14/v1");
    assertTrue(Files.exists(model.resolve(ModelManifest.SUCCESS)) && Files.exists(model.resolve(ModelManifest.QUANTIZED)));
    JsonNode scores = Json.mapper().readTree(out.resolve("scores/scores.json").toFile());
    assertEquals(512, scores.get("nodes").asInt(), "every generated node is scored");
    assertTrue(scores.get("test_nodes").asInt() > 50, scores.toString());
    String report = Files.readString(out.resolve("report.md"));
    assertTrue(report.contains("| generate |") && report.contains("| score (integer engine) |"), report);
    assertTrue(report.contains("R-MAT scale 9") && report.contains("integer scoring (bin/dq score) of 512 nodes"), report);
    assertTrue(report.contains("- CPU and kernels of the score stage (this JVM): CPU ")
        && report.contains("; kernels: "), report);
  }
}
