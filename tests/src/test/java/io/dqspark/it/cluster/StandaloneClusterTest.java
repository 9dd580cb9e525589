package io.dqspark.it.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Tag;

/**
 * The harness itself: a job submitted with the cluster jar runs on separate executor JVMs and
 * survives one of them being killed with SIGKILL while it runs. (ScoreOnClusterTest shows both
 * executors doing work.)
 */
@Tag("integration")
class StandaloneClusterTest {
  @RegisterExtension
  static final StandaloneClusterExtension SPARK = new StandaloneClusterExtension(2, "1536m");

  private static String cora() {
    return Path.of(System.getProperty("dq.repo.root"), "data/planetoid/cora").toString();
  }

  private static long csvRows(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      long rows = 0;
      for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".csv")).toList()) {
        rows += Files.readAllLines(f).size() - 1; // minus the header
      }
      return rows;
    }
  }

  @Test
  void jobSurvivesAnExecutorKilledWhileItRuns() throws IOException {
    StandaloneCluster cluster = SPARK.cluster();
    Path out = cluster.newFolder("killed").resolve("cora");
    JvmProcess driver = cluster.startDriver("io.dqspark.jobs.stats.StatsJob",
        List.of("--input", cora(), "--input-format", "planetoid", "--name", "cora",
            "--output-format", "csv", "--out", out.toString()),
        Map.of());
    Map<String, ProcessHandle> executors = cluster.awaitExecutors(2, Duration.ofMinutes(1));
    String victim = executors.keySet().iterator().next();
    cluster.killExecutor(victim);
    assertEquals(0, driver.waitFor(Duration.ofMinutes(4)), driver.logTail(60));
    assertEquals(2708, csvRows(out.resolve("vertices")));
    String workers = cluster.workerLogTails(400);
    assertTrue(workers.contains("Executor app-") && workers.contains("finished with state"),
        "the worker logs record the lost executor:\n" + workers);
  }
}
