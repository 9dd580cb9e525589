package io.dqspark.it.notebooks;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * Runs every paragraph of a note in order, as Zeppelin would with the note's Spark interpreter
 * group: Scala through {@link SparkScalaInterpreter}, SQL through {@code spark.sql} (statements
 * split on {@code ;} like Zeppelin's SQL interpreter), markdown skipped. The first failing
 * paragraph stops the note with an error naming the note and the paragraph.
 */
final class NotebookRunner {
  private final SparkSession spark;
  private final SparkScalaInterpreter scala;

  NotebookRunner(SparkSession spark, SparkScalaInterpreter scala) {
    this.spark = spark;
    this.scala = scala;
  }

  /** Thrown when a paragraph fails; the message names the note file, note and paragraph. */
  static final class ParagraphFailure extends AssertionError {
    ParagraphFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Returns how many paragraphs ran (markdown excluded). */
  int run(ZeppelinNote note) {
    int ran = 0;
    for (ZeppelinNote.Paragraph p : note.paragraphs()) {
      String where = note.file().getFileName() + " (note '" + note.name() + "'), " + p.label();
      switch (p.interpreter()) {
        case "%md":
          continue;
        case "%spark":
        case "%spark.spark": {
          SparkScalaInterpreter.Outcome o = scala.interpret(p.code());
          if (!o.ok()) {
            throw new ParagraphFailure(where + " failed: " + o.output(), null);
          }
          break;
        }
        case "%sql":
        case "%spark.sql":
          for (String statement : statements(p.code())) {
            try {
              spark.sql(statement).collectAsList();
            } catch (Exception e) { // Spark's AnalysisException is checked in Java's eyes
              throw new ParagraphFailure(where + " failed on SQL `" + statement + "`: " + e.getMessage(), e);
            }
          }
          break;
        default:
          throw new ParagraphFailure(where + " uses " + p.interpreter()
              + ", which this runner does not support (%spark, %spark.sql, %md)", null);
      }
      ran++;
    }
    return ran;
  }

  static List<String> statements(String sql) {
    List<String> out = new ArrayList<>();
    for (String s : sql.split(";")) {
      if (!s.isBlank()) {
        out.add(s.strip());
      }
    }
    return out;
  }
}
