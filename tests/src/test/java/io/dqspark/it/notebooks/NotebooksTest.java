package io.dqspark.it.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

/**
 * Runs every paragraph of every note in notebooks/ through Spark's Scala interpreter and
 * {@code spark.sql}, with the project's classes on the interpreter's classpath, as a Zeppelin
 * Spark interpreter with the project jar as a dependency would. One interpreter serves all
 * notes (Zeppelin's default "shared" binding).
 */
@Tag("integration")
class NotebooksTest {
  private static final Path REPO = Path.of(System.getProperty("dq.repo.root", "..")).toAbsolutePath().normalize();
  @TempDir static Path classes;
  private static SparkSession spark;
  private static SparkScalaInterpreter scala;
  private static NotebookRunner runner;

  @BeforeAll
  static void start() {
    System.setProperty("dq.home", REPO.toString());
    spark = SparkSession.builder()
        .master("local[2]")
        .appName("notebooks")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.repl.class.outputDir", classes.toString())
        .getOrCreate();
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    scala = new SparkScalaInterpreter(spark, classes.toFile(), classpath);
    runner = new NotebookRunner(spark, scala);
  }

  @AfterAll
  static void stop() {
    if (scala != null) {
      scala.close();
    }
    if (spark != null) {
      spark.stop();
    }
  }

  static List<Path> notes() throws IOException {
    try (Stream<Path> files = Files.list(REPO.resolve("notebooks"))) {
      return files.filter(f -> f.toString().endsWith(".zpln")).sorted().collect(Collectors.toList());
    }
  }

  @TestFactory
  Stream<DynamicTest> everyParagraphOfEveryNoteRuns() throws IOException {
    List<Path> notes = notes();
    assertFalse(notes.isEmpty(), "no .zpln notes under " + REPO.resolve("notebooks"));
    return notes.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
      ZeppelinNote note = ZeppelinNote.read(f);
      long runnable = note.paragraphs().stream().filter(p -> !p.interpreter().equals("%md")).count();
      assertTrue(runnable > 0, f + " has no code paragraphs");
      assertEquals(runnable, runner.run(note));
    }));
  }

  @Test
  void aFailingParagraphIsNamed(@TempDir Path dir) throws IOException {
    Path bad = dir.resolve("broken.zpln");
    Files.writeString(bad, "{\"name\":\"broken\",\"paragraphs\":["
        + "{\"title\":\"fine\",\"text\":\"%spark\\nval x = 1\"},"
        + "{\"title\":\"typo\",\"text\":\"%spark\\nval y = x + undefinedName\"}]}");
    AssertionError e = assertThrows(AssertionError.class, () -> runner.run(ZeppelinNote.read(bad)));
    assertTrue(e.getMessage().contains("broken.zpln") && e.getMessage().contains("paragraph 2 'typo'")
        && e.getMessage().contains("undefinedName"), e.getMessage());
  }

  @Test
  void aFailingSqlParagraphIsNamed(@TempDir Path dir) throws IOException {
    Path bad = dir.resolve("bad-sql.zpln");
    Files.writeString(bad, "{\"name\":\"bad sql\",\"paragraphs\":["
        + "{\"text\":\"%spark.sql\\nSELECT * FROM no_such_table\"}]}");
    AssertionError e = assertThrows(AssertionError.class, () -> runner.run(ZeppelinNote.read(bad)));
    assertTrue(e.getMessage().contains("bad-sql.zpln") && e.getMessage().contains("paragraph 1")
        && e.getMessage().contains("no_such_table"), e.getMessage());
  }

  @Test
  void savedOutputIsRefused(@TempDir Path dir) throws IOException {
    Path withOutput = dir.resolve("out.zpln");
    Files.writeString(withOutput, "{\"name\":\"out\",\"paragraphs\":[{\"text\":\"%spark\\n1\",\"results\":{}}]}");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ZeppelinNote.read(withOutput));
    assertTrue(e.getMessage().contains("paragraph 1 has saved results"), e.getMessage());
  }
}
