package io.dqspark.it.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One JVM started by the harness, its stdout and stderr going to one log file that failures quote.
 * Killing it kills its descendants first (a Worker's executors), so no JVM outlives a test class.
 */
public final class JvmProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final Path log;

  private JvmProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** Starts {@code java [jvmArgs] mainClass [args]} with {@code env} added to this JVM's environment. */
  public static JvmProcess start(String name, List<String> command, Map<String, String> env, Path log) {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().putAll(env);
    try {
      return new JvmProcess(name, pb.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + command, e);
    }
  }

  public String name() { return name; }
  public Path logFile() { return log; }
  public ProcessHandle handle() { return process.toHandle(); }
  public boolean isAlive() { return process.isAlive(); }

  public String log() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }

  /** The last {@code lines} lines of the log, for error messages. */
  public String logTail(int lines) {
    List<String> all = log().lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  /**
   * Waits until the log matches {@code pattern} and returns the match; fails with the log's tail
   * when the process dies first or the time runs out.
   */
  public Matcher awaitLog(Pattern pattern, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Matcher m = pattern.matcher(log());
      if (m.find()) {
        return m;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with code " + process.exitValue()
            + " before logging /" + pattern + "/; its log (" + log + ") ends:\n" + logTail(40));
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(name + " did not log /" + pattern + "/ within " + timeout
            + "; its log (" + log + ") ends:\n" + logTail(40));
      }
      sleep(100);
    }
  }

  /** Waits for the exit; kills the process and fails with the log's tail after {@code timeout}. */
  public int waitFor(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        close();
        throw new IllegalStateException(name + " did not finish within " + timeout + "; its log ("
            + log + ") ends:\n" + logTail(60));
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new IllegalStateException("interrupted while waiting for " + name, e);
    }
  }

  /** SIGKILL to the descendants, then to the process itself; waits until all are gone. */
  @Override
  public void close() {
    List<ProcessHandle> children = process.toHandle().descendants().toList();
    children.forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    for (ProcessHandle h : children) {
      h.onExit().join();
    }
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
