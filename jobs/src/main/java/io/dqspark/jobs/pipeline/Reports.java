package io.dqspark.jobs.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dqspark.jobs.bench.EngineComparison;
import io.dqspark.jobs.pipeline.report.RunReport;
import io.dqspark.model.ModelManifest;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Fills the pipeline report's accuracy, scoring-time and size sections from what the run made. */
final class Reports {
  private Reports() {}

  /**
   * This run's test accuracy, then every precision/method of the same dataset and architecture
   * from the committed reproduction results ({@code results/*.json}, made by {@code bin/dq
   * reproduce}), each labelled with where it came from.
   */
  static void addAccuracy(RunReport report, ModelManifest m, int workers) {
    Object acc = m.metrics.get("test_accuracy");
    if (acc instanceof Number n) {
      report.accuracy().add(new RunReport.Accuracy(m.precision, "fp32".equals(m.precision) ? "fp32" : m.method,
          100 * n.doubleValue(), "this run: " + m.name + "/v" + m.version + ", " + workers + " workers"));
    }
    Path results = Path.of(System.getProperty("dq.home", System.getProperty("dq.repo.root", "."))).resolve("results");
    if (!Files.isDirectory(results)) {
      return;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(results, "*.json")) {
      for (Path f : files) {
        for (JsonNode row : new ObjectMapper().readTree(f.toFile())) {
          if (row.path("dataset").asText().equalsIgnoreCase(m.name) && row.path("arch").asText().equals(m.arch)) {
            report.accuracy().add(new RunReport.Accuracy(row.path("precision").asText(), row.path("method").asText(),
                row.path("test_accuracy_mean").asDouble(), "results/" + f.getFileName() + " (bin/dq reproduce, "
                + row.path("runs").asInt() + " runs, single JVM)"));
          }
        }
      }
    } catch (IOException e) {
      report.fact("could not read " + results + ": " + e.getMessage());
    }
  }

  static void addEngines(RunReport report, EngineComparison.Result r) {
    for (EngineComparison.Row row : r.rows()) {
      report.scoring().add(new RunReport.ScoringTime(row.engine(), row.bestSeconds()));
    }
    report.sizes().add(new RunReport.ModelSize("INT8 model.dq8", r.sizes().dq8()));
    report.sizes().add(new RunReport.ModelSize("FP32 raw float32", r.sizes().rawFloat32()));
    report.sizes().add(new RunReport.ModelSize("FP32 DL4J zip", r.sizes().dl4jZip()));
    r.notes().forEach(n -> report.fact("engines: " + n));
  }
}
