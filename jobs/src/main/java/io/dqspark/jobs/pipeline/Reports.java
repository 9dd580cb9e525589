package io.dqspark.jobs.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dqspark.engine.Kernels;
import io.dqspark.jobs.bench.EngineComparison;
import io.dqspark.jobs.pipeline.report.RunReport;
import io.dqspark.model.ModelManifest;
import io.dqspark.util.HadoopFiles;
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

  /**
   * What the score stage measured ({@code scores.json}): the integer engine's test accuracy next to
   * the fake-quant accuracy training reported for the same model, and the CPU, its vector
   * extensions and the kernels that ran (design §5), so the report's times can be read elsewhere.
   */
  static void addScoring(RunReport report, HadoopFiles files, String scoresDir, ModelManifest m) throws IOException {
    String path = scoresDir + "/scores.json";
    JsonNode s = new ObjectMapper().readTree(files.readAll(new org.apache.hadoop.fs.Path(path), "scores summary"));
    Object trained = m.metrics.get("test_accuracy");
    String fakeQuant = trained instanceof Number n ? String.format("%.2f%%", 100 * n.doubleValue()) : "not recorded";
    boolean graphs = "graph".equals(m.task);
    JsonNode acc = s.path("test_accuracy");
    String scored = graphs ? s.path("graphs").asLong() + " graphs" : s.path("nodes").asLong() + " nodes";
    String test = acc.isNumber()
        ? String.format("test accuracy %.2f%% on %d %s", 100 * acc.asDouble(),
            s.path(graphs ? "test_graphs" : "test_nodes").asLong(), graphs ? "held-out graphs" : "test nodes")
        : "no test labels";
    report.fact("integer scoring (bin/dq score) of " + scored + ": " + test
        + "; training's fake-quant test accuracy " + fakeQuant + "; model loads " + s.path("model_loads"));
    report.fact("CPU and kernels of the score stage (this JVM): " + Kernels.report());
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
