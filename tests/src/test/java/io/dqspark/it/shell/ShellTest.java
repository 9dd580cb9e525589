package io.dqspark.it.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

/**
 * {@code bin/dq shell FILE.jsh} as a user runs it: jshell in a child process, its snippets in a JVM
 * with the project's runtime classpath and Spark's Java 17 flags, GraphFrames and the project's
 * classes usable, the Vector API module resolved, exit code 0 after {@code /exit} (design §6).
 */
@Tag("integration")
class ShellTest {
  private static final Path REPO = Path.of(System.getProperty("dq.repo.root", "..")).toAbsolutePath().normalize();
  // jshell ends a snippet at the first line that completes it: a continued line must end open
  // (a trailing '.', ',' or '+').
  private static final String SCRIPT = """
      var spark = org.apache.spark.sql.SparkSession.builder().master("local[1]").
          config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
      var vertices = spark.range(5).toDF("id");
      var edges = spark.sql("SELECT * FROM VALUES (0L, 1L), (0L, 2L), (1L, 2L), (3L, 2L) AS t(src, dst)");
      var g = org.graphframes.GraphFrame.apply(vertices, edges);
      System.out.println("in-degrees " + g.inDegrees().count() + " " + g.inDegrees().orderBy("id").collectAsList());
      io.dqspark.jobs.score.DqFunctions.register(spark);
      System.out.println("dq_predict_nodes of a null model is null: " + spark.sql("SELECT dq_predict_nodes("
          + "CAST(NULL AS STRING), array(array(1.0f)), array(0L), array(0L)) IS NULL").first().getBoolean(0));
      System.out.println("float lanes " + jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length());
      /exit
      """;

  @Test
  void aScriptBuildsAGraphFrameAndPrintsItsInDegrees(@TempDir Path tmp) throws Exception {
    ensureJarsExist(tmp);
    Path script = tmp.resolve("graph.jsh");
    Files.writeString(script, SCRIPT, StandardCharsets.UTF_8);
    Path out = tmp.resolve("stdout.txt");
    Path err = tmp.resolve("stderr.txt");
    ProcessBuilder pb = new ProcessBuilder(REPO.resolve("bin/dq").toString(), "shell", script.toString())
        .directory(tmp.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
    // the harness built the jars (below); bin/dq must not start a Maven build of its own
    pb.environment().put("DQ_BUILD", "0");
    pb.environment().put("DQ_DRIVER_MEMORY", "1g");
    Process p = pb.start();
    p.getOutputStream().close(); // no terminal: jshell would end at end of input without /exit
    if (!p.waitFor(4, TimeUnit.MINUTES)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly().waitFor();
      fail("bin/dq shell did not finish in 4 minutes\n" + both(out, err));
    }
    String printed = Files.readString(out, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), both(out, err));
    // jshell reports a failing snippet on stderr as "Error:" or "Exception ..." and goes on
    List<String> problems = Files.readAllLines(err, StandardCharsets.UTF_8).stream()
        .filter(l -> l.startsWith("Error:") || l.startsWith("Exception ")).toList();
    assertEquals(List.of(), problems, both(out, err));
    List<String> lines = printed.lines().toList();
    assertTrue(lines.contains("in-degrees 2 [[1,1], [2,3]]"), both(out, err));
    assertTrue(lines.contains("dq_predict_nodes of a null model is null: true"), both(out, err));
    assertTrue(lines.stream().anyMatch(l -> l.matches("float lanes \\d+")), both(out, err));
  }

  /**
   * bin/dq runs the jobs, engine and lib jars and the runtime classpath file from the modules' target
   * folders. {@code mvn test} makes none of them by itself (the cluster-jar step of this module makes
   * the jars but not the classpath file), so package lib and jobs here when one is missing, as
   * bin/dq would, but without installing anything into the local repository.
   */
  private static void ensureJarsExist(Path tmp) throws IOException, InterruptedException {
    List<Path> needed = List.of(REPO.resolve("jobs/target/dq-jobs-0.1.0-SNAPSHOT.jar"),
        REPO.resolve("lib/engine/target/dq-engine-0.1.0-SNAPSHOT.jar"), REPO.resolve("lib/target/dq-lib-0.1.0-SNAPSHOT.jar"),
        REPO.resolve("jobs/target/runtime-classpath.txt"));
    if (needed.stream().allMatch(Files::isRegularFile)) {
      return;
    }
    Path log = tmp.resolve("mvn.log");
    int code = -1;
    for (String offline : List.of("-o", "-B")) { // offline first; online once if an artifact is missing
      Process p = new ProcessBuilder("mvn", "-B", "-q", offline, "-DskipTests", "-pl", "jobs", "-am", "package")
          .directory(REPO.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      code = p.waitFor();
      if (code == 0) {
        return;
      }
    }
    fail("mvn package of lib and jobs failed (exit " + code + "):\n" + Files.readString(log));
  }

  private static String both(Path out, Path err) {
    try {
      return "stdout:\n" + Files.readString(out) + "\nstderr:\n" + Files.readString(err);
    } catch (IOException e) {
      return "(cannot read the output: " + e + ")";
    }
  }
}
