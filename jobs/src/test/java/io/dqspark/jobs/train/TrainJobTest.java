package io.dqspark.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dqspark.jobs.CliRunner;
import io.dqspark.jobs.SparkTestSession;
import io.dqspark.jobs.common.Json;
import io.dqspark.model.GcnModel;
import io.dqspark.model.ModelManifest;
import io.dqspark.model.ModelReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

/** {@code bin/dq train} in local[2] on Cora's two real parts: what it publishes and what it refuses. */
@Tag("integration")
class TrainJobTest {
  @TempDir Path tmp;

  private String[] train(String out, String... more) {
    List<String> args = new ArrayList<>(List.of("train", "--conf", TrainFixtures.coraConf().toString(),
        "--workers", "2", "--precision", "int8", "--method", "dq", "--set", "shards=" + TrainFixtures.coraParts(),
        "--out", out));
    args.addAll(List.of(more));
    return args.toArray(new String[0]);
  }

  @Test
  void publishesVersionedModelDirectoriesWithMetricsAndTheIntegerModel() throws IOException {
    String out = tmp.resolve("models").toString();
    CliRunner.Outcome first = CliRunner.run(train(out, "--epochs", "3"));
    assertEquals(0, first.exitCode(), first.err());
    Path v1 = tmp.resolve("models/cora/v1");
    ModelManifest m = ModelManifest.fromJson(Files.readString(v1.resolve("model.json")), "model.json");
    assertEquals("cora", m.name);
    assertEquals(1, m.version);
    assertEquals("gcn", m.arch);
    assertEquals("int8", m.precision);
    assertEquals("dq", m.method);
    assertEquals(7, m.classes);
    assertEquals(1433, m.featureDim);
    assertTrue(Files.exists(v1.resolve("_SUCCESS")));
    assertTrue(Files.exists(v1.resolve("network.zip")));
    GcnModel q = assertInstanceOf(GcnModel.class, ModelReader.read(Files.readAllBytes(v1.resolve("model.dq8"))));
    assertEquals(2, q.layers().size());

    JsonNode metrics = Json.mapper().readTree(v1.resolve("metrics.json").toFile());
    assertEquals(2, metrics.get("workers").asInt());
    assertTrue(metrics.get("training_master").asText().contains("ParameterAveragingTrainingMaster"));
    double acc = metrics.get("test_accuracy").asDouble();
    assertTrue(acc > 0 && acc <= 1, "test accuracy " + acc);
    assertEquals(List.of(0, 1, 2), epochs(metrics));
    assertEquals(1, metrics.get("averaging_frequency").asInt());
    assertTrue(metrics.get("provenance").get("config").get("sha256").asText().length() == 64);
    assertFalse(Files.exists(tmp.resolve("models/cora/.checkpoint")), "checkpoints are removed once published");

    CliRunner.Outcome second = CliRunner.run(train(out, "--epochs", "2", "--averaging-frequency", "2"));
    assertEquals(0, second.exitCode(), second.err());
    JsonNode m2 = Json.mapper().readTree(tmp.resolve("models/cora/v2/metrics.json").toFile());
    assertEquals(2, m2.get("version").asInt());
    assertEquals(List.of(1), epochs(m2), "one evaluation after the round of two epochs");
    CliRunner.Outcome warm = CliRunner.run(train(out, "--epochs", "1", "--init-from", v1.toString()));
    assertEquals(0, warm.exitCode(), warm.err());
    JsonNode m3 = Json.mapper().readTree(tmp.resolve("models/cora/v3/metrics.json").toFile());
    assertEquals(v1.toString(), m3.get("init_from").asText());
    // after one epoch a warm start is where v1's training had got to, not where a cold start is
    double coldFirstEpoch = metrics.get("epochs").get(0).get("validation_loss").asDouble();
    assertTrue(m3.get("validation_loss").asDouble() < metrics.get("validation_loss").asDouble()
        && metrics.get("validation_loss").asDouble() < coldFirstEpoch,
        "validation loss: warm " + m3.get("validation_loss") + ", v1 " + metrics.get("validation_loss")
            + ", cold first epoch " + coldFirstEpoch);
    assertEquals(m.toJson(), ModelManifest.fromJson(Files.readString(v1.resolve("model.json")), "v1").toJson(),
        "v1 untouched");
  }

  @Test
  void resumeContinuesAnInterruptedRunAndDoesEachEpochOnce() throws IOException {
    String out = tmp.resolve("models").toString();
    TrainSettings s = TrainSettings.read(TrainFixtures.coraConf())
        .set("workers", "2", "test").set("precision", "int8", "test").set("method", "dq", "test")
        .set("shards", TrainFixtures.coraParts(), "test").set("epochs", "4", "test");
    String checkpoints = tmp.resolve("models/cora/.checkpoint").toString();
    RuntimeException killed = assertThrows(RuntimeException.class, () -> TrainRun.run(SparkTestSession.get(), s,
        out, false, null, checkpoints, line -> {
          if (line.startsWith("epoch 2:")) {
            throw new IllegalStateException("driver stopped during epoch 2");
          }
        }));
    assertTrue(killed.getMessage().contains("epoch 2"));
    assertTrue(Files.isDirectory(Path.of(checkpoints, "e000002")), "checkpoint after epoch 1");
    assertFalse(Files.exists(tmp.resolve("models/cora/v1")));

    CliRunner.Outcome plain = CliRunner.run(train(out, "--epochs", "4"));
    assertEquals(2, plain.exitCode());
    assertTrue(plain.err().contains("--resume"), plain.err());

    CliRunner.Outcome resumed = CliRunner.run(train(out, "--epochs", "4", "--resume"));
    assertEquals(0, resumed.exitCode(), resumed.err());
    JsonNode metrics = Json.mapper().readTree(tmp.resolve("models/cora/v1/metrics.json").toFile());
    assertEquals(List.of(0, 1, 2, 3), epochs(metrics));
    assertEquals(1, metrics.get("resumes").asInt());

    // masks, shuffles and dropout are keyed by (seed, epoch, part, step) and the checkpoint holds
    // Adam's state: the interrupted run is the run that was never interrupted
    String again = tmp.resolve("again").toString();
    CliRunner.Outcome whole = CliRunner.run(train(again, "--epochs", "4"));
    assertEquals(0, whole.exitCode(), whole.err());
    JsonNode reference = Json.mapper().readTree(tmp.resolve("again/cora/v1/metrics.json").toFile());
    for (int e = 0; e < 4; e++) {
      for (String key : List.of("train_loss", "validation_loss", "test_accuracy")) {
        assertEquals(reference.get("epochs").get(e).get(key).asDouble(),
            metrics.get("epochs").get(e).get(key).asDouble(), 1e-6, key + " of epoch " + e);
      }
    }
  }

  @Test
  void badInputIsAClearErrorAndPublishesNothing() throws IOException {
    String out = tmp.resolve("models").toString();
    CliRunner.Outcome typo = CliRunner.run(train(out, "--set", "epoch=3"));
    assertEquals(2, typo.exitCode());
    assertTrue(typo.err().contains("unknown key 'epoch'") && typo.err().contains("'epochs'"), typo.err());

    Path conf = tmp.resolve("typo.conf");
    Files.writeString(conf, Files.readString(TrainFixtures.coraConf()) + "\nlearning_rat = 0.1\n");
    CliRunner.Outcome inFile = CliRunner.run("train", "--conf", conf.toString(), "--out", out);
    assertEquals(2, inFile.exitCode());
    assertTrue(inFile.err().contains(conf.toString()) && inFile.err().contains("'learning_rate'"), inFile.err());

    CliRunner.Outcome tooMany = CliRunner.run(train(out, "--set", "workers=3", "--epochs", "1"));
    assertEquals(2, tooMany.exitCode());
    assertTrue(tooMany.err().contains("workers = 3") && tooMany.err().contains("2 parts"), tooMany.err());

    CliRunner.Outcome noCheckpoint = CliRunner.run(train(out, "--epochs", "1", "--resume"));
    assertEquals(2, noCheckpoint.exitCode());
    assertTrue(noCheckpoint.err().contains("no complete checkpoint"), noCheckpoint.err());

    Path broken = tmp.resolve("models/cora/.checkpoint/e000001");
    Files.createDirectories(broken);
    Files.writeString(broken.resolve("network.zip"), "not a zip");
    Files.writeString(broken.resolve("_SUCCESS"), "");
    CliRunner.Outcome corrupt = CliRunner.run(train(out, "--epochs", "1", "--resume"));
    assertEquals(2, corrupt.exitCode());
    assertTrue(corrupt.err().contains("corrupt") && corrupt.err().contains("e000001"), corrupt.err());

    Files.createDirectories(tmp.resolve("models/cora/v1"));
    CliRunner.Outcome notAModel = CliRunner.run(train(out, "--epochs", "1", "--init-from",
        tmp.resolve("models/cora/v1").toString()));
    assertEquals(2, notAModel.exitCode());
    assertTrue(notAModel.err().contains("not a published model folder"), notAModel.err());

    CliRunner.Outcome taken = CliRunner.run(train(out, "--epochs", "1", "--version", "1"));
    assertEquals(2, taken.exitCode());
    assertTrue(taken.err().contains("already holds a model version"), taken.err());

    try (Stream<Path> s = Files.list(tmp.resolve("models/cora"))) {
      assertEquals(List.of(".checkpoint", "v1"), s.map(p -> p.getFileName().toString()).sorted().toList(),
          "nothing published (v1 is the empty folder this test made)");
    }
    try (Stream<Path> s = Files.list(tmp.resolve("models/cora/v1"))) {
      assertEquals(0, s.count());
    }
  }

  private static List<Integer> epochs(JsonNode metrics) {
    List<Integer> out = new ArrayList<>();
    metrics.get("epochs").forEach(e -> out.add(e.get("epoch").asInt()));
    return out;
  }
}
