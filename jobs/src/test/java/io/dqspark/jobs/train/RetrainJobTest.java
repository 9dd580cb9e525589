package io.dqspark.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dqspark.jobs.CliRunner;
import io.dqspark.jobs.common.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

/** {@code bin/dq retrain} in local[2] on Cora's two real parts. */
@Tag("integration")
class RetrainJobTest {
  @TempDir Path tmp;

  private record Run(int code, String line) {}

  private Run retrain(String... more) {
    List<String> args = new ArrayList<>(List.of("retrain", "--conf", TrainFixtures.coraConf().toString(),
        "--workers", "2", "--precision", "fp32", "--set", "shards=" + TrainFixtures.coraParts(),
        "--out", tmp.resolve("models").toString()));
    args.addAll(List.of(more));
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true));
    try {
      CliRunner.Outcome o = CliRunner.run(args.toArray(new String[0]));
      String out = buf.toString();
      String line = out.lines().filter(l -> l.startsWith("retrain cora:")).findFirst().orElse(o.err());
      return new Run(o.exitCode(), line);
    } finally {
      System.setOut(old);
    }
  }

  @Test
  void promotesABetterChallengerAndRefusesAWorseOne() throws IOException {
    Run first = retrain("--epochs", "1");
    assertEquals(RetrainJob.PROMOTED, first.code(), first.line());
    assertTrue(first.line().contains("PROMOTED v1") && first.line().contains("no champion"), first.line());
    assertEquals("v1", champion());

    // warm-started from a one-epoch champion, more epochs of the same recipe do better
    Run better = retrain("--epochs", "8", "--tolerance", "0");
    assertEquals(RetrainJob.PROMOTED, better.code(), better.line());
    assertTrue(better.line().contains("PROMOTED v2") && better.line().contains("champion v1"), better.line());
    assertEquals("v2", champion());
    JsonNode m = Json.mapper().readTree(tmp.resolve("models/cora/v2/metrics.json").toFile());
    assertEquals("v1", m.get("champion_before").asText());
    assertTrue(m.get("validation_accuracy").asDouble() >= m.get("champion_validation_accuracy").asDouble());

    // a learning rate of 5 wrecks the warm-started weights: refused, nothing published
    Run worse = retrain("--epochs", "2", "--tolerance", "0", "--set", "learning_rate=5");
    assertEquals(RetrainJob.REFUSED, worse.code(), worse.line());
    assertTrue(worse.line().contains("REFUSED") && worse.line().contains("champion v2"), worse.line());
    assertEquals("v2", champion());
    assertFalse(Files.exists(tmp.resolve("models/cora/v3")));
  }

  private String champion() throws IOException {
    return Files.readString(tmp.resolve("models/cora/CHAMPION")).trim();
  }
}
