package io.dqspark.jobs.pipeline.report;

import io.dqspark.stats.DegreeSummary;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a {@link RunReport} as {@code report.md} (PNG charts beside it) and a self-contained
 * {@code report.html} (the same charts inlined as data URIs, so it can be mailed or attached to
 * a ticket alone). Both come from one list of sections, so they cannot disagree.
 */
public final class ReportWriter {
  public static final String MARKDOWN = "report.md";
  public static final String HTML = "report.html";

  private ReportWriter() {}

  /** A heading, table rows (first row = header) and an optional chart. */
  private record Section(String heading, List<String[]> table, String chartFile, byte[] chart) {}

  /** File name -> content: the two reports and every chart they show. */
  public static Map<String, byte[]> render(RunReport r) {
    List<Section> sections = sections(r);
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put(MARKDOWN, markdown(r, sections).getBytes(StandardCharsets.UTF_8));
    files.put(HTML, html(r, sections).getBytes(StandardCharsets.UTF_8));
    for (Section s : sections) {
      if (s.chart() != null) {
        files.put(s.chartFile(), s.chart());
      }
    }
    return files;
  }

  private static List<Section> sections(RunReport r) {
    List<Section> out = new ArrayList<>();
    if (!r.stages().isEmpty()) {
      List<String[]> t = new ArrayList<>();
      t.add(new String[] {"stage", "seconds", "peak heap MB (upper bound, at most -Xmx; driver JVM, which in local mode runs the executors)"});
      r.stages().forEach(s -> t.add(new String[] {s.stage(), fmt("%.1f", s.seconds()),
          s.peakHeapBytes() < 0 ? "" : fmt("%,d", s.peakHeapBytes() >> 20)}));
      out.add(new Section("Stages", t, null, null));
    }
    DegreeSummary d = r.degrees();
    if (d != null) {
      List<String[]> t = new ArrayList<>();
      t.add(new String[] {"in-degree", "nodes"});
      d.histogram().forEach(b -> t.add(new String[] {b.lo() == b.hi() ? "" + b.lo() : b.lo() + "-" + b.hi(), "" + b.count()}));
      out.add(new Section(fmt("In-degree (%d nodes, %d edges, mean %.2f, max %d)", d.nodes(), d.edges(),
          d.meanDegree(), d.maxDegree()), t, "degree-histogram.png", ReportCharts.degreeHistogram(d)));
      List<String[]> p = new ArrayList<>();
      p.add(new String[] {"p_low", "p_high", "mask_prob min", "mask_prob mean", "mask_prob max"});
      p.add(new String[] {fmt("%.3f", d.pLow()), fmt("%.3f", d.pHigh()), fmt("%.4f", d.maskProb().min()),
          fmt("%.4f", d.maskProb().mean()), fmt("%.4f", d.maskProb().max())});
      out.add(new Section("Degree-Quant protection probability", p, "mask-probability.png",
          ReportCharts.maskProbabilityCurve(d)));
    }
    if (!r.accuracy().isEmpty()) {
      List<String[]> t = new ArrayList<>();
      t.add(new String[] {"precision", "method", "test accuracy (%)", "source"});
      r.accuracy().forEach(a -> t.add(new String[] {a.precision(), a.method(), fmt("%.1f", a.testAccuracyPercent()), a.source()}));
      out.add(new Section("Accuracy by precision and method", t, "accuracy.png", ReportCharts.accuracy(r.accuracy())));
    }
    if (!r.scoring().isEmpty()) {
      List<String[]> t = new ArrayList<>();
      double first = r.scoring().get(0).seconds();
      t.add(new String[] {"engine", "milliseconds", "speed relative to " + r.scoring().get(0).engine()});
      r.scoring().forEach(s -> t.add(new String[] {s.engine(), fmt("%.1f", s.seconds() * 1000), fmt("%.2fx", first / s.seconds())}));
      out.add(new Section("Scoring time", t, "scoring-time.png", ReportCharts.scoringTime(r.scoring())));
    }
    if (!r.sizes().isEmpty()) {
      List<String[]> t = new ArrayList<>();
      t.add(new String[] {"form", "bytes"});
      r.sizes().forEach(m -> t.add(new String[] {m.form(), "" + m.bytes()}));
      out.add(new Section("Model size", t, "model-size.png", ReportCharts.modelSizes(r.sizes())));
    }
    return out;
  }

  private static String markdown(RunReport r, List<Section> sections) {
    StringBuilder b = new StringBuilder("# ").append(r.title()).append("\n\n");
    r.facts().forEach(f -> b.append("- ").append(f).append('\n'));
    for (Section s : sections) {
      b.append("\n## ").append(s.heading()).append("\n\n");
      String[] header = s.table().get(0);
      b.append("| ").append(String.join(" | ", header)).append(" |\n|");
      b.append("---|".repeat(header.length)).append('\n');
      for (String[] row : s.table().subList(1, s.table().size())) {
        b.append("| ").append(String.join(" | ", row)).append(" |\n");
      }
      if (s.chart() != null) {
        b.append("\n![").append(s.heading()).append("](").append(s.chartFile()).append(")\n");
      }
    }
    return b.toString();
  }

  private static String html(RunReport r, List<Section> sections) {
    StringBuilder b = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
        .append(escape(r.title())).append("</title>\n<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}"
            + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .6em;text-align:right}"
            + "th{background:#f3f3f3}</style></head><body>\n<h1>").append(escape(r.title())).append("</h1>\n");
    if (!r.facts().isEmpty()) {
      b.append("<ul>\n");
      r.facts().forEach(f -> b.append("<li>").append(escape(f)).append("</li>\n"));
      b.append("</ul>\n");
    }
    for (Section s : sections) {
      b.append("<h2>").append(escape(s.heading())).append("</h2>\n<table>\n<tr>");
      for (String h : s.table().get(0)) {
        b.append("<th>").append(escape(h)).append("</th>");
      }
      b.append("</tr>\n");
      for (String[] row : s.table().subList(1, s.table().size())) {
        b.append("<tr>");
        for (String cell : row) {
          b.append("<td>").append(escape(cell)).append("</td>");
        }
        b.append("</tr>\n");
      }
      b.append("</table>\n");
      if (s.chart() != null) {
        b.append("<p><img alt=\"").append(escape(s.heading())).append("\" src=\"data:image/png;base64,")
            .append(Base64.getEncoder().encodeToString(s.chart())).append("\"></p>\n");
      }
    }
    return b.append("</body></html>\n").toString();
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private static String fmt(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }
}
