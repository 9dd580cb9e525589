package io.dqspark.jobs;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs a job through the real command line (parsing, error handling) inside the test JVM. */
public final class CliRunner {
  /** Exit code, and what the command printed to its error stream. */
  public record Outcome(int exitCode, String err) {}

  private CliRunner() {}

  public static Outcome run(String... args) {
    SparkTestSession.get();
    CommandLine cl = DqCli.commandLine(new DqCli());
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Outcome(code, err.toString());
  }
}
