package io.dqspark.jobs.bench;

import io.dqspark.export.GcnExporter;
import io.dqspark.gnn.QuantMode;
import io.dqspark.graph.EdgeRules;
import io.dqspark.graph.GraphDataset;
import io.dqspark.jobs.common.AtomicOutput;
import io.dqspark.jobs.train.ModelDirectory;
import io.dqspark.loaders.CanonicalTablesReader;
import io.dqspark.model.GcnModel;
import io.dqspark.model.ModelManifest;
import io.dqspark.model.ModelWriter;
import io.dqspark.train.Architecture;
import io.dqspark.train.NodeClassificationRun;
import io.dqspark.train.RunResult;
import io.dqspark.train.TrainingOptions;
import io.dqspark.train.Variant;
import io.dqspark.util.HadoopFiles;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * The model {@code bench score} scores: a Degree-Quant INT8 GCN trained briefly in the driver on a
 * small generated graph, published as {@code ROOT/NAME/v1} with both its integer model and its
 * FP32 network, laid out as the train job publishes, so the score job reads it like any other. A
 * speed benchmark needs realistic quantizer ranges, not a good classifier, hence few epochs.
 */
final class BenchModel {
  /** Training settings: hidden width, epochs and seed of a 2-layer GCN. */
  record Settings(int hidden, int epochs, long seed) {}

  /** The published directory and the model's fake-quant test accuracy on the training graph. */
  record Published(Path dir, double testAccuracy) {}

  private BenchModel() {}

  /** Trains on the tables in {@code tables} (generate's output) and publishes {@code root/name/v1}. */
  static Published trainAndPublish(Configuration conf, String tables, String root, String name, Settings s) {
    GraphDataset data = CanonicalTablesReader.read(new HadoopFiles(conf), tables, name,
        CanonicalTablesReader.TableFormat.PARQUET, EdgeRules.Options.DEFAULT);
    NodeClassificationRun run = new NodeClassificationRun(data, false);
    TrainingOptions o = TrainingOptions.defaults(Architecture.GCN, false);
    o.variant = new Variant(QuantMode.DQ, 8);
    o.hidden = s.hidden();
    o.epochs = s.epochs();
    o.seed = s.seed();
    RunResult r = run.run(o);
    ComputationGraph net = run.network();
    GcnModel q = GcnExporter.export(net, Map.of("dataset", name));

    ModelManifest m = new ModelManifest();
    m.name = name;
    m.version = 1;
    m.task = "node";
    m.arch = q.architecture();
    m.precision = "int8";
    m.method = "dq";
    m.classes = data.numClasses();
    m.featureDim = data.featureDim();
    m.metrics.put("test_accuracy", r.testAccuracy());
    m.provenance.put("config", Map.of("settings", Map.of("row_normalize", false, "epochs", s.epochs(),
        "hidden", s.hidden(), "seed", s.seed())));
    m.provenance.put("data", Map.of("input", tables));
    m.files.put("network", ModelManifest.NETWORK);
    m.files.put("quantized", ModelManifest.QUANTIZED);
    ModelDirectory models = new ModelDirectory(conf, root, name);
    try (AtomicOutput out = models.begin(1)) {
      ModelDirectory.writeNetwork(out, net, conf);
      ModelDirectory.writeBytes(out, ModelManifest.QUANTIZED, ModelWriter.toBytes(q), conf);
      out.writeText(ModelManifest.FILE, m.toJson());
      out.commit();
      return new Published(out.target(), r.testAccuracy());
    }
  }
}
