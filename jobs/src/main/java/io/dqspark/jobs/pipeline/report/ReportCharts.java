package io.dqspark.jobs.pipeline.report;

import io.dqspark.stats.DegreeSummary;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The report's charts as PNG bytes (JFreeChart, rendered headless). */
final class ReportCharts {
  static final int WIDTH = 720;
  static final int HEIGHT = 400;
  private static final Color BAR = new Color(0x3B6EA5);
  private static final Color GRID = new Color(0xDDDDDD);

  private ReportCharts() {}

  static {
    System.setProperty("java.awt.headless", "true");
  }

  /** Nodes per in-degree bucket ([0], [1], [2,3], [4,7] ...), the buckets of stats.json. */
  static byte[] degreeHistogram(DegreeSummary s) {
    DefaultCategoryDataset d = new DefaultCategoryDataset();
    for (DegreeSummary.Bucket b : s.histogram()) {
      d.addValue(b.count(), "nodes", b.lo() == b.hi() ? "" + b.lo() : b.lo() + "-" + b.hi());
    }
    JFreeChart c = ChartFactory.createBarChart("In-degree histogram (" + s.nodes() + " nodes)",
        "in-degree", "nodes", d, PlotOrientation.VERTICAL, false, false, false);
    CategoryPlot plot = styled(c).getCategoryPlot();
    plot.getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_45);
    return png(c);
  }

  /**
   * Degree-Quant's protection probability at each bucket's upper degree: p_low + (p_high - p_low)
   * x the share of nodes with in-degree at most that, the rule the stats job applies per node.
   */
  static byte[] maskProbabilityCurve(DegreeSummary s) {
    XYSeries curve = new XYSeries("mask_prob");
    long atMost = 0;
    for (DegreeSummary.Bucket b : s.histogram()) {
      atMost += b.count();
      if (b.count() > 0) {
        curve.add(b.hi() + 1.0, s.pLow() + (s.pHigh() - s.pLow()) * atMost / (double) s.nodes());
      }
    }
    JFreeChart c = ChartFactory.createXYLineChart("Protection probability by in-degree",
        "in-degree + 1 (bucket upper bound, log scale)", "mask_prob", new XYSeriesCollection(curve),
        PlotOrientation.VERTICAL, false, false, false);
    styled(c);
    XYPlot plot = c.getXYPlot();
    // in-degrees are heavy-tailed: on a linear axis the whole rise sits in the first few pixels
    LogAxis degreeAxis = new LogAxis(plot.getDomainAxis().getLabel());
    degreeAxis.setBase(2);
    degreeAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    plot.setDomainAxis(degreeAxis);
    plot.getRenderer().setSeriesPaint(0, BAR);
    plot.getRenderer().setSeriesStroke(0, new BasicStroke(2.5f));
    return png(c);
  }

  static byte[] accuracy(java.util.List<RunReport.Accuracy> rows) {
    DefaultCategoryDataset d = new DefaultCategoryDataset();
    for (RunReport.Accuracy a : rows) {
      d.addValue(a.testAccuracyPercent(), "test accuracy", a.label());
    }
    return png(bars("Test accuracy by precision and method", "test accuracy (%)", d));
  }

  static byte[] scoringTime(java.util.List<RunReport.ScoringTime> rows) {
    DefaultCategoryDataset d = new DefaultCategoryDataset();
    for (RunReport.ScoringTime t : rows) {
      d.addValue(t.seconds() * 1000, "scoring time", t.engine());
    }
    return png(bars("Scoring time of the whole graph", "milliseconds", d));
  }

  static byte[] modelSizes(java.util.List<RunReport.ModelSize> rows) {
    DefaultCategoryDataset d = new DefaultCategoryDataset();
    for (RunReport.ModelSize m : rows) {
      d.addValue(m.bytes() / 1024.0, "size", m.form());
    }
    return png(bars("Model size", "KiB", d));
  }

  private static JFreeChart bars(String title, String valueAxis, DefaultCategoryDataset d) {
    JFreeChart c = ChartFactory.createBarChart(title, null, valueAxis, d, PlotOrientation.VERTICAL,
        false, false, false);
    styled(c);
    return c;
  }

  private static JFreeChart styled(JFreeChart c) {
    c.setBackgroundPaint(Color.WHITE);
    if (c.getPlot() instanceof CategoryPlot plot) {
      plot.setBackgroundPaint(Color.WHITE);
      plot.setRangeGridlinePaint(GRID);
      BarRenderer r = (BarRenderer) plot.getRenderer();
      r.setBarPainter(new StandardBarPainter());
      r.setShadowVisible(false);
      r.setSeriesPaint(0, BAR);
      r.setMaximumBarWidth(0.12);
    } else if (c.getPlot() instanceof XYPlot plot) {
      plot.setBackgroundPaint(Color.WHITE);
      plot.setRangeGridlinePaint(GRID);
      plot.setDomainGridlinePaint(GRID);
    }
    return c;
  }

  private static byte[] png(JFreeChart c) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ChartUtils.writeChartAsPNG(out, c, WIDTH, HEIGHT);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot render chart '" + c.getTitle().getText() + "'", e);
    }
    return out.toByteArray();
  }
}
