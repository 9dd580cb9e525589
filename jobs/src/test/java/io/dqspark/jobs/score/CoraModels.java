package io.dqspark.jobs.score;

import io.dqspark.export.FloatGcnExporter;
import io.dqspark.export.GcnExporter;
import io.dqspark.gnn.QuantMode;
import io.dqspark.graph.EdgeRules;
import io.dqspark.graph.GraphDataset;
import io.dqspark.jobs.SparkTestSession;
import io.dqspark.loaders.PlanetoidLoader;
import io.dqspark.model.FloatGcn;
import io.dqspark.model.GcnGraph;
import io.dqspark.model.GcnModel;
import io.dqspark.model.IntegerGcn;
import io.dqspark.model.ModelManifest;
import io.dqspark.model.QuantizedModel;
import io.dqspark.train.Architecture;
import io.dqspark.train.NodeClassificationRun;
import io.dqspark.train.RunResult;
import io.dqspark.train.TrainingOptions;
import io.dqspark.train.Variant;
import io.dqspark.util.HadoopFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A Degree-Quant INT8 GCN trained briefly on the bundled Cora in this JVM, exported and published
 * as a model directory {@code ROOT/cora/v1} the way the train job lays it out (integer model and
 * FP32 network), with the whole-graph integer and FP32 scoring the Spark paths must reproduce.
 */
public final class CoraModels {
  /** A published model and the reference it must score like. */
  public record Published(Path dir, GcnModel model, FloatGcn fp32, GraphDataset cora,
      double fakeQuantTestAccuracy) {
    /** Whole-graph integer scoring of Cora (features row-normalized as in training), by row. */
    public IntegerGcn.Result wholeGraph() {
      return new IntegerGcn(model).run(normalizedFeatures(cora), graph());
    }

    /** Whole-graph FP32 logits of the same network's float weights, {@code [row, class]}. */
    public float[] fp32WholeGraph() {
      return fp32.run(normalizedFeatures(cora), graph());
    }

    private GcnGraph graph() {
      RowEdges e = RowEdges.of(cora);
      return GcnGraph.of(cora.vertices().size(), e.src(), e.dst());
    }
  }

  /** Cora's features row-major, each row divided by its sum as in training. */
  static float[] normalizedFeatures(GraphDataset cora) {
    var v = cora.vertices();
    int w = v.featureDim();
    float[] f = new float[v.size() * w];
    for (int i = 0; i < v.size(); i++) {
      System.arraycopy(v.features(i), 0, f, i * w, w);
      FeatureRows.rowNormalize(f, i * w, w);
    }
    return f;
  }

  private static Published shared;

  private CoraModels() {}

  /** One model for every test class of this JVM (training it takes a while on 2 cores). */
  public static synchronized Published shared() {
    if (shared == null) {
      try {
        Path root = Files.createTempDirectory("dq-score-models");
        shared = publish(root, 30);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(root)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return shared;
  }

  public static GraphDataset cora() {
    return PlanetoidLoader.load(HadoopFiles.withDefaults(), SparkTestSession.data("planetoid/cora"),
        "cora", EdgeRules.Options.DEFAULT);
  }

  private static void deleteTree(Path root) {
    try (var files = Files.walk(root)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort, under the system temp folder
    }
  }

  /** Trains {@code epochs} epochs (seed 7) and publishes {@code root/cora/v1}. */
  public static Published publish(Path root, int epochs) {
    GraphDataset cora = cora();
    NodeClassificationRun run = new NodeClassificationRun(cora, true);
    TrainingOptions o = TrainingOptions.defaults(Architecture.GCN, false);
    o.variant = new Variant(QuantMode.DQ, 8);
    o.epochs = epochs;
    o.seed = 7;
    RunResult r = run.run(o);
    GcnModel model = GcnExporter.export(run.network(), Map.of("dataset", "cora"));
    ModelManifest m = TestModelDirs.dqInt8("cora", "node", QuantizedModel.GCN, model);
    m.metrics.put("test_accuracy", r.testAccuracy());
    // where the train job records its settings (row_normalize among them)
    m.provenance.put("config", Map.of("settings", Map.of("row_normalize", true, "epochs", epochs)));
    return new Published(TestModelDirs.write(root, m, model, run.network()), model,
        FloatGcnExporter.export(run.network()), cora, r.testAccuracy());
  }
}
