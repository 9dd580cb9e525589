package io.dqspark.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dqspark.jobs.CliRunner;
import io.dqspark.jobs.common.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

/** {@code bin/dq bench score} at a tiny scale: one row per engine, with Spark-measured figures. */
@Tag("integration")
class ScoreBenchTest {
  @Test
  void writesOneRowPerEngine(@TempDir Path tmp) throws Exception {
    Path json = tmp.resolve("out/score.json");
    Path work = tmp.resolve("work");
    CliRunner.Outcome r = CliRunner.run("bench", "score", "--scale", "10", "--parts", "2", "--train-scale", "8",
        "--epochs", "3", "--feature-width", "16", "--hidden", "16", "--repetitions", "1", "--json", json.toString(),
        "--work", work.toString());
    assertEquals(0, r.exitCode(), r.err());
    JsonNode rows = Json.mapper().readTree(json.toFile());
    assertEquals(2, rows.size(), rows.toString());
    Set<String> engines = new TreeSet<>();
    for (JsonNode row : rows) {
      engines.add(row.get("engine").asText());
      assertEquals(10, row.get("scale").asInt());
      assertEquals(2, row.get("parts").asInt());
      assertTrue(row.get("wall_s").asDouble() > 0, row.toString());
      assertTrue(row.get("shuffle_bytes").asLong() > 0, row.toString());
      assertEquals(2, row.get("layer_seconds").size(), row.toString());
      assertEquals(1 << 10, row.get("nodes").asInt());
    }
    assertEquals(Set.of("fp32", "int8"), engines);
    assertFalse(Files.exists(work), "the scratch folder is deleted unless --keep");
  }

  @Test
  void refusesAWorkFolderItDidNotWrite(@TempDir Path tmp) throws Exception {
    Path work = Files.createDirectories(tmp.resolve("mine"));
    Files.writeString(work.resolve("notes.txt"), "keep me");
    CliRunner.Outcome r = CliRunner.run("bench", "score", "--scale", "10", "--work", work.toString());
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("--work " + work + " holds files this benchmark did not write"), r.err());
    assertTrue(Files.exists(work.resolve("notes.txt")));
  }
}
