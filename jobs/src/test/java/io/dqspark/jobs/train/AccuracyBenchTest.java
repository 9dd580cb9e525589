package io.dqspark.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dqspark.jobs.CliRunner;
import io.dqspark.jobs.common.Json;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/dq bench accuracy} on Cora: one row per variant through the train job, and the
 * no-edges baseline, which trains the same widths on the vertices alone and must lose what the
 * graph gives.
 */
@Tag("integration")
class AccuracyBenchTest {
  @Test
  void writesOneRowPerVariantAndANoEdgesBaselineThatTheGraphBeats(@TempDir Path dir) throws Exception {
    String tables = dir.resolve("cora-tables").toString();
    Path repo = io.dqspark.jobs.SparkTestSession.repoRoot();
    CliRunner.Outcome ingest = CliRunner.run("ingest", "--input", repo.resolve("data/planetoid/cora").toString(),
        "--input-format", "planetoid", "--name", "cora", "--out", tables);
    assertEquals(0, ingest.exitCode(), ingest.err());
    Path json = dir.resolve("rows.json");
    CliRunner.Outcome o = CliRunner.run("bench", "accuracy", "--conf", repo.resolve("conf/cora.conf").toString(), "--set", "input=" + tables,
        "--epochs", "40", "--variants", "int8:dq", "--no-edges", "--out", dir.resolve("models").toString(),
        "--json", json.toString());
    assertEquals(0, o.exitCode(), o.err());
    JsonNode rows = Json.mapper().readTree(json.toFile());
    assertEquals(2, rows.size(), rows.toString());
    String[][] want = {{"gcn", "int8", "dq"}, {"mlp", "fp32", "fp32"}};
    for (int i = 0; i < 2; i++) {
      JsonNode r = rows.get(i);
      assertEquals(want[i][0], r.get("arch").asText(), r.toString());
      assertEquals(want[i][1], r.get("precision").asText(), r.toString());
      assertEquals(want[i][2], r.get("method").asText(), r.toString());
      assertEquals(2708, r.get("nodes").asInt(), r.toString());
      assertEquals(40, r.get("epochs").asInt(), r.toString());
      assertTrue(r.get("train_s").asDouble() > 0, r.toString());
    }
    assertTrue(rows.get(0).get("edges").asInt() > 10_000, rows.toString());
    assertEquals(0, rows.get(1).get("edges").asInt(), "the baseline trains without edges");
    double gcn = rows.get(0).get("test_accuracy").asDouble();
    double mlp = rows.get(1).get("test_accuracy").asDouble();
    assertTrue(gcn > 0.7 && gcn > mlp + 0.1, "DQ INT8 GCN " + gcn + " vs no-edges " + mlp);
  }
}
