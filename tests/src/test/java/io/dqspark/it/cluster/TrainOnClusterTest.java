package io.dqspark.it.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dqspark.graph.EdgeRules;
import io.dqspark.loaders.PlanetoidLoader;
import io.dqspark.train.Architecture;
import io.dqspark.train.NodeClassificationRun;
import io.dqspark.train.RunResult;
import io.dqspark.train.TrainingOptions;
import io.dqspark.train.Variant;
import io.dqspark.util.HadoopFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Tag;

/**
 * Issue 4's checks on a real standalone cluster (two executor JVMs): the train job submitted with
 * the cluster jar through SparkSubmit, on Cora's two bundled parts (jobs' training fixture).
 */
@Tag("integration")
class TrainOnClusterTest {
  @RegisterExtension
  static final StandaloneClusterExtension SPARK = new StandaloneClusterExtension(2, "1536m");

  private static final String TRAIN = "io.dqspark.jobs.train.TrainJob";
  private static final String RETRAIN = "io.dqspark.jobs.train.RetrainJob";

  private static Path repo() {
    return Path.of(System.getProperty("dq.repo.root"));
  }

  private static List<String> args(Path out, String... more) {
    List<String> a = new ArrayList<>(List.of("--conf", repo().resolve("conf/cora.conf").toString(),
        "--set", "input=" + repo().resolve("data/planetoid/cora"),
        "--set", "shards=" + repo().resolve("jobs/src/test/resources/train/cora-parts2"),
        "--workers", "2", "--out", out.toString()));
    a.addAll(List.of(more));
    return a;
  }

  private static JsonNode metrics(Path version) throws IOException {
    return new ObjectMapper().readTree(version.resolve("metrics.json").toFile());
  }

  private static List<Integer> epochs(JsonNode metrics) {
    List<Integer> out = new ArrayList<>();
    metrics.get("epochs").forEach(e -> out.add(e.get("epoch").asInt()));
    return out;
  }

  @Test
  void distributedDegreeQuantReachesTheSingleJvmAccuracy() throws IOException {
    int epochs = 100;
    Path out = SPARK.cluster().newFolder("accuracy");
    StandaloneCluster.Submitted r = SPARK.cluster().submit(TRAIN,
        args(out, "--precision", "int8", "--method", "dq", "--epochs", "" + epochs), Map.of(), Duration.ofMinutes(8));
    assertEquals(0, r.exitCode(), r.output());
    JsonNode m = metrics(out.resolve("cora/v1"));
    assertEquals(2, m.get("workers").asInt());
    assertTrue(m.get("training_master").asText().contains("ParameterAveragingTrainingMaster"));
    assertTrue(m.get("provenance").get("spark_master").asText().startsWith("spark://"));

    TrainingOptions o = TrainingOptions.defaults(Architecture.GCN, false);
    o.variant = Variant.of("int8", "dq");
    o.epochs = epochs;
    RunResult single = new NodeClassificationRun(PlanetoidLoader.load(HadoopFiles.withDefaults(),
        repo().resolve("data/planetoid/cora").toString(), "cora", EdgeRules.Options.DEFAULT), true).run(o);
    double distributed = m.get("test_accuracy").asDouble();
    assertTrue(Math.abs(distributed - single.testAccuracy()) <= 0.015,
        "distributed " + distributed + " vs single JVM " + single.testAccuracy());
  }

  @Test
  void anExecutorKilledMidTrainingDoesNotFailTheJob() throws IOException {
    Path out = SPARK.cluster().newFolder("executor-killed");
    int epochs = 30;
    JvmProcess driver = SPARK.cluster().startDriver(TRAIN,
        args(out, "--precision", "fp32", "--epochs", "" + epochs), Map.of());
    driver.awaitLog(Pattern.compile("epoch 4:"), Duration.ofMinutes(4));
    Map<String, ProcessHandle> executors = SPARK.cluster().executors();
    assertEquals(2, executors.size());
    SPARK.cluster().killExecutor(executors.keySet().iterator().next());
    assertEquals(0, driver.waitFor(Duration.ofMinutes(6)), driver.logTail(80));
    assertEquals(IntStream.range(0, epochs).boxed().toList(), epochs(metrics(out.resolve("cora/v1"))));
    assertTrue(SPARK.cluster().workerLogTails(400).contains("finished with state"),
        "an executor was lost:\n" + SPARK.cluster().workerLogTails(40));
  }

  @Test
  void aKilledDriverResumesFromItsCheckpointWithEveryEpochOnce() throws IOException {
    Path out = SPARK.cluster().newFolder("driver-killed");
    int epochs = 24;
    List<String> a = args(out, "--precision", "int8", "--method", "qat", "--epochs", "" + epochs);
    JvmProcess driver = SPARK.cluster().startDriver(TRAIN, a, Map.of());
    driver.awaitLog(Pattern.compile("epoch 6:"), Duration.ofMinutes(4));
    driver.close();
    assertTrue(Files.isDirectory(out.resolve("cora/.checkpoint")), driver.logTail(40));
    assertTrue(Files.notExists(out.resolve("cora/v1")));

    List<String> resume = new ArrayList<>(a);
    resume.add("--resume");
    StandaloneCluster.Submitted r = SPARK.cluster().submit(TRAIN, resume, Map.of(), Duration.ofMinutes(6));
    assertEquals(0, r.exitCode(), r.output());
    assertTrue(r.output().contains("resuming from"), r.output());
    JsonNode m = metrics(out.resolve("cora/v1"));
    assertEquals(IntStream.range(0, epochs).boxed().toList(), epochs(m));
    assertEquals(1, m.get("resumes").asInt());
  }

  @Test
  void retrainPromotesABetterChallengerAndRefusesAWorseOne() throws IOException {
    Path out = SPARK.cluster().newFolder("retrain");
    StandaloneCluster.Submitted first = SPARK.cluster().submit(RETRAIN,
        args(out, "--precision", "fp32", "--epochs", "1"), Map.of(), Duration.ofMinutes(5));
    assertEquals(0, first.exitCode(), first.output());
    StandaloneCluster.Submitted better = SPARK.cluster().submit(RETRAIN,
        args(out, "--precision", "fp32", "--epochs", "8", "--tolerance", "0"), Map.of(), Duration.ofMinutes(5));
    assertEquals(0, better.exitCode(), better.output());
    assertTrue(better.output().contains("PROMOTED v2"), better.output());
    StandaloneCluster.Submitted worse = SPARK.cluster().submit(RETRAIN,
        args(out, "--precision", "fp32", "--epochs", "2", "--tolerance", "0", "--set", "learning_rate=5"),
        Map.of(), Duration.ofMinutes(5));
    assertEquals(3, worse.exitCode(), worse.output());
    assertTrue(worse.output().contains("REFUSED"), worse.output());
    assertEquals("v2", Files.readString(out.resolve("cora/CHAMPION")).trim());
    assertTrue(Files.notExists(out.resolve("cora/v3")));
  }
}
