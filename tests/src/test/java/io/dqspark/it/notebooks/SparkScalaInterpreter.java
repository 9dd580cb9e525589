package io.dqspark.it.notebooks;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.apache.spark.repl.SparkILoop;
import org.apache.spark.sql.SparkSession;
import scala.Option;
import scala.collection.JavaConverters;
import scala.tools.nsc.Settings;
import scala.tools.nsc.interpreter.IMain;
import scala.tools.nsc.interpreter.Results;

/**
 * Runs Scala paragraphs the way Zeppelin's Spark interpreter does: Spark's own {@link SparkILoop}
 * with class-based wrappers, compiled classes written to the directory the driver serves to
 * executors ({@code spark.repl.class.outputDir}), and {@code spark}/{@code sc} bound in the
 * interpreter. Paragraphs share one interpreter, so later ones see earlier definitions.
 */
final class SparkScalaInterpreter implements AutoCloseable {
  private final StringWriter output = new StringWriter();
  private final SparkILoop loop;
  private final IMain intp;

  /** {@code classOutputDir} must be the session's {@code spark.repl.class.outputDir}. */
  SparkScalaInterpreter(SparkSession spark, File classOutputDir, String classpath) {
    Settings settings = new Settings();
    List<String> args = List.of("-Yrepl-class-based", "-Yrepl-outdir", classOutputDir.getAbsolutePath(),
        "-classpath", classpath);
    settings.processArguments(JavaConverters.asScalaBuffer(args).toList(), true);
    loop = new SparkILoop(Option.empty(), new PrintWriter(output, true));
    loop.settings_$eq(settings);
    loop.createInterpreter();
    intp = loop.intp();
    intp.initializeSynchronous();
    bind("spark", "org.apache.spark.sql.SparkSession", spark);
    bind("sc", "org.apache.spark.SparkContext", spark.sparkContext());
    interpretOrThrow("import spark.implicits._\nimport org.apache.spark.sql.functions._", "set-up");
  }

  private void bind(String name, String type, Object value) {
    Results.Result r = intp.bind(name, type, value, scala.collection.immutable.List$.MODULE$.empty());
    if (!(r instanceof Results.Success$)) {
      throw new IllegalStateException("cannot bind " + name + ": " + takeOutput());
    }
  }

  private void interpretOrThrow(String code, String what) {
    Outcome o = interpret(code);
    if (!o.ok()) {
      throw new IllegalStateException(what + " failed: " + o.output());
    }
  }

  record Outcome(boolean ok, String output) {}

  /** Compiles and runs one paragraph; an incomplete statement counts as a failure. */
  Outcome interpret(String code) {
    takeOutput();
    Results.Result r;
    try {
      r = intp.interpret(code);
    } catch (RuntimeException | LinkageError e) {
      return new Outcome(false, takeOutput() + e);
    }
    String out = takeOutput();
    if (r instanceof Results.Success$) {
      return new Outcome(true, out);
    }
    String why = r instanceof Results.Incomplete$ ? "incomplete input" : "error";
    return new Outcome(false, why + ":\n" + out);
  }

  private String takeOutput() {
    StringBuffer b = output.getBuffer();
    String s = b.toString();
    b.setLength(0);
    return s;
  }

  @Override
  public void close() {
    loop.closeInterpreter();
  }
}
