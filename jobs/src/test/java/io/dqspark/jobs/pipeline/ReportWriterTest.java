package io.dqspark.jobs.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dqspark.graph.EdgeRules;
import io.dqspark.jobs.pipeline.report.ReportWriter;
import io.dqspark.jobs.pipeline.report.RunReport;
import io.dqspark.loaders.PlanetoidLoader;
import io.dqspark.stats.DegreeStats;
import io.dqspark.stats.DegreeSummary;
import io.dqspark.stats.ProtectionRule;
import io.dqspark.util.HadoopFiles;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The report of Cora's real degree statistics: charts are real PNGs, both documents agree. */
class ReportWriterTest {
  private static DegreeSummary cora;

  @BeforeAll
  static void coraStats() {
    String dir = System.getProperty("dq.repo.root", "..") + "/data/planetoid/cora";
    cora = DegreeStats.compute(PlanetoidLoader.load(HadoopFiles.withDefaults(), dir, "cora", EdgeRules.Options.DEFAULT),
        new ProtectionRule(0.0, 0.1), false).summary();
  }

  @Test
  void statsOnlyReportHasTheDegreeChartsAndNoEmptySections() throws IOException {
    Map<String, byte[]> files = ReportWriter.render(new RunReport("cora").degrees(cora).stage("stats", 2.5));
    assertEquals(java.util.Set.of("report.md", "report.html", "degree-histogram.png", "mask-probability.png"), files.keySet());
    for (String png : new String[] {"degree-histogram.png", "mask-probability.png"}) {
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(files.get(png)));
      assertNotNull(image, png + " is not a PNG");
      assertEquals(720, image.getWidth());
    }
    String md = new String(files.get("report.md"), StandardCharsets.UTF_8);
    assertFalse(md.contains("Accuracy"), "no training ran, so no accuracy section");
    // every histogram row of the markdown, summed, is every node of Cora
    long sum = 0;
    Matcher rows = Pattern.compile("(?m)^\\| ([0-9]+(?:-[0-9]+)?) \\| ([0-9]+) \\|$").matcher(md);
    while (rows.find()) {
      sum += Long.parseLong(rows.group(2));
    }
    assertEquals(2708, cora.nodes());
    assertEquals(cora.nodes(), sum);
    assertTrue(md.contains("![In-degree") && md.contains("(degree-histogram.png)"), md);
  }

  @Test
  void htmlInlinesTheSameChartsAsTheMarkdownLinks() {
    RunReport r = new RunReport("cora <gcn>").degrees(cora);
    r.accuracy().add(new RunReport.Accuracy("fp32", "fp32", 82.1, "results/cora.json"));
    r.accuracy().add(new RunReport.Accuracy("int8", "dq", 82.3, "this run"));
    r.scoring().add(new RunReport.ScoringTime("FP32 engine", 0.020));
    r.scoring().add(new RunReport.ScoringTime("INT8 engine", 0.010));
    r.sizes().add(new RunReport.ModelSize("FP32", 92_000));
    Map<String, byte[]> files = ReportWriter.render(r);
    String html = new String(files.get("report.html"), StandardCharsets.UTF_8);
    Matcher images = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(html);
    int n = 0;
    for (String png : new String[] {"degree-histogram.png", "mask-probability.png", "accuracy.png", "scoring-time.png", "model-size.png"}) {
      assertTrue(images.find(), "missing inline image for " + png);
      assertArrayEquals(files.get(png), Base64.getDecoder().decode(images.group(1)), png);
      n++;
    }
    assertEquals(5, n);
    assertFalse(images.find(), "more images than charts");
    assertTrue(html.contains("cora &lt;gcn&gt;"), "title must be escaped");
    String md = new String(files.get("report.md"), StandardCharsets.UTF_8);
    assertTrue(md.contains("| engine | milliseconds | speed relative to FP32 engine |") && md.contains("| INT8 engine | 10.0 | 2.00x |"), md);
  }
}
