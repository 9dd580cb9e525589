package io.dqspark.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/** Renders reproduction rows as a markdown table and as JSON. */
public final class ResultTable {
  private ResultTable() {}

  public static String markdown(List<ResultRow> rows) {
    StringBuilder b = new StringBuilder();
    b.append("| dataset | arch | precision | method | runs | test accuracy (%) | epochs | s/epoch |\n");
    b.append("|---|---|---|---|---:|---:|---:|---:|\n");
    for (ResultRow r : rows) {
      b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %d | %.1f ± %.1f | %.0f | %.3f |%n",
          r.dataset(), r.arch(), r.precision(), r.method(), r.runs(), r.testAccuracyMean(),
          r.testAccuracyStd(), r.epochsMean(), r.secondsPerEpoch()));
    }
    return b.toString();
  }

  public static String json(List<ResultRow> rows) {
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(rows);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static List<ResultRow> parse(String json) {
    try {
      ObjectMapper m = new ObjectMapper();
      return m.readValue(json, m.getTypeFactory().constructCollectionType(List.class, ResultRow.class));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
