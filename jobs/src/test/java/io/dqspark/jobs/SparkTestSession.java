package io.dqspark.jobs;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/** One local[2] session for every test class of the module, with few shuffle partitions. */
public final class SparkTestSession {
  private static SparkSession session;

  private SparkTestSession() {}

  public static synchronized SparkSession get() {
    if (session == null || session.sparkContext().isStopped()) { // a round-trip test stops its session
      session = SparkSession.builder()
          .master("local[2]")
          .appName("dq-tests")
          .config("spark.ui.enabled", "false")
          .config("spark.sql.shuffle.partitions", "4")
          .config("spark.default.parallelism", "4")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.driver.host", "127.0.0.1")
          .getOrCreate();
    }
    return session;
  }

  /** The repository root (surefire sets dq.repo.root), for the bundled data under data/. */
  public static Path repoRoot() {
    String root = System.getProperty("dq.repo.root");
    if (root != null) {
      return Path.of(root);
    }
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("data"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("cannot find the repository's data/ folder");
    }
    return p;
  }

  public static String data(String relative) {
    return repoRoot().resolve("data").resolve(relative).toString();
  }
}
