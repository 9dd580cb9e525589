package io.dqspark.jobs.train;

import io.dqspark.export.ArithmeticCheck;
import io.dqspark.export.GatExporter;
import io.dqspark.export.GcnExporter;
import io.dqspark.export.GinExporter;
import io.dqspark.gnn.QuantMode;
import io.dqspark.graph.GraphLevel;
import io.dqspark.jobs.common.AtomicOutput;
import io.dqspark.jobs.common.Json;
import io.dqspark.model.ModelManifest;
import io.dqspark.model.ModelWriter;
import io.dqspark.model.QuantizedModel;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * Publishes a trained run as {@code ROOT/NAME/vN/}: {@code model.json} ({@link ModelManifest}),
 * {@code metrics.json}, {@code network.zip} (DL4J), {@code model.dq8} for quantized runs
 * ({@link GcnExporter}, {@link GinExporter}, {@link GatExporter}) and {@code _SUCCESS} last,
 * through {@link AtomicOutput}.
 */
final class ModelPublisher {
  /** The training master the metrics name: DL4J's, with the range merge of this package. */
  static final String TRAINING_MASTER = "org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster"
      + " (as io.dqspark.jobs.train.RangeMergingTrainingMaster: quantizer ranges merged by min/max for dq,"
      + " mean for qat)";

  private ModelPublisher() {}

  /** Where the run's settings came from (file and checksum), for provenance. */
  record ConfigSource(String file, String sha256) {
    static ConfigSource of(Path file) {
      try {
        byte[] bytes = Files.readAllBytes(file);
        return new ConfigSource(file.toAbsolutePath().normalize().toString(),
            HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
      } catch (IOException | NoSuchAlgorithmException e) {
        return new ConfigSource(file.toString(), "unreadable");
      }
    }
  }

  /**
   * Publishes {@code version}, or the next free version when it is null (claimed, so concurrent
   * publishers get distinct ones).
   *
   * @param extra more metrics (retrain adds the champion's scores)
   */
  static org.apache.hadoop.fs.Path publish(Configuration conf, ModelDirectory models, Integer version,
      TrainRun.Result r, TrainSettings settings, ConfigSource config, Map<String, Object> extra) {
    try (ModelDirectory.Claim claim = version == null ? models.claimNext() : models.claim(version)) {
      return publishClaimed(conf, models, claim.version(), r, settings, config, extra);
    }
  }

  private static org.apache.hadoop.fs.Path publishClaimed(Configuration conf, ModelDirectory models, int version,
      TrainRun.Result r, TrainSettings settings, ConfigSource config, Map<String, Object> extra) {
    Map<String, Object> metrics = metrics(r, version, settings, config, conf);
    if (extra != null) {
      metrics.putAll(extra);
    }
    ModelManifest m = new ModelManifest();
    m.name = r.name();
    m.version = version;
    m.task = r.driver().level.label();
    m.arch = r.options().arch.label();
    m.precision = r.options().variant.precision();
    m.method = r.options().variant.method();
    m.classes = r.driver().data.numClasses();
    m.featureDim = r.driver().data.featureDim();
    m.featureScale = r.driver().featureScale == null ? null : r.driver().featureScale.clone();
    m.metrics.put("test_accuracy", r.progress().bestTestAccuracy);
    m.metrics.put("validation_accuracy", r.progress().bestValidationAccuracy);
    m.provenance.putAll(provenance(r, config, settings));
    m.files.put("network", ModelManifest.NETWORK);
    // metrics.json is written after the export, which adds the integer arithmetic it measured
    try (AtomicOutput out = models.begin(version)) {
      ModelDirectory.writeNetwork(out, r.network(), conf);
      QuantizedModel quantized = export(r, version);
      if (quantized != null && r.driver().level == GraphLevel.NODE && r.driver().featureScale == null) {
        ArithmeticCheck.Checked checked = ArithmeticCheck.apply(quantized, r.network(), r.driver().data,
            r.driver().rowNormalize);
        quantized = checked.model();
        metrics.put("integer_arithmetic", checked.outcome().describe());
        System.out.println("export: default integer arithmetic " + checked.outcome().describe());
      }
      if (quantized != null) {
        ModelDirectory.writeBytes(out, ModelManifest.QUANTIZED, ModelWriter.toBytes(quantized), conf);
        m.files.put("quantized", ModelManifest.QUANTIZED);
      }
      out.writeText(ModelManifest.METRICS, Json.write(metrics));
      out.writeText(ModelManifest.FILE, m.toJson());
      out.commit();
      return out.target();
    }
  }

  private static Map<String, Object> metrics(TrainRun.Result r, int version, TrainSettings settings,
      ConfigSource config, Configuration conf) {
    Progress p = r.progress();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", r.name());
    m.put("version", version);
    m.put("test_accuracy", p.bestTestAccuracy);
    m.put("test_loss", p.bestTestLoss);
    m.put("validation_accuracy", p.bestValidationAccuracy);
    m.put("validation_loss", p.bestValidationLoss);
    m.put("best_epoch", p.bestEpoch);
    m.put("arch", r.options().arch.label());
    m.put("precision", r.options().variant.precision());
    m.put("method", r.options().variant.method());
    m.put("workers", r.workers());
    m.put("parts", r.parts());
    m.put("training_master", TRAINING_MASTER);
    m.put("averaging_frequency", r.averagingFrequency());
    m.put("batch_size", r.options().batchSize);
    m.put("epochs_planned", r.options().epochs);
    m.put("wall_seconds", r.wallSeconds());
    m.put("train_seconds", p.trainSeconds);
    m.put("resumes", p.resumes);
    m.put("epochs", p.epochs);
    m.put("provenance", provenance(r, config, settings));
    return m;
  }

  /** The integer model of a quantized run; null for FP32 runs, which have none. */
  private static QuantizedModel export(TrainRun.Result r, int version) {
    if (r.options().mode() == QuantMode.FP32) {
      return null;
    }
    Map<String, String> p = new LinkedHashMap<>();
    p.put("model", r.name() + "/v" + version);
    switch (r.options().arch) {
      case GCN:
        return GcnExporter.export(r.network(), p);
      case GIN:
        return GinExporter.export(r.network(), p);
      case GAT:
        return GatExporter.export(r.network(), p);
      default:
        throw new IllegalStateException("no exporter for " + r.options().arch);
    }
  }

  private static Map<String, Object> provenance(TrainRun.Result r, ConfigSource config, TrainSettings settings) {
    Map<String, Object> p = new LinkedHashMap<>();
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("input", r.driver().source);
    data.put("dataset", r.driver().data.name());
    data.put("shards", r.shards());
    data.put("vertices", r.driver().data.vertices().size());
    data.put("edges", r.driver().data.edges().size());
    if (r.driver().fold != null) {
      data.put("graphs", r.driver().data.graphs().size());
      data.put("fold", settings.integer("fold", 0));
      data.put("train_graphs", r.driver().fold.train().length);
      // the held-out graphs by id, so that scoring the same dataset can report test accuracy
      long[] ids = r.driver().data.graphs().graphIds();
      data.put("test_graph_ids", java.util.Arrays.stream(r.driver().fold.test()).mapToLong(i -> ids[i]).toArray());
    }
    p.put("data", data);
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("file", config == null ? null : config.file());
    c.put("sha256", config == null ? null : config.sha256());
    c.put("settings", settings.asMap());
    p.put("config", c);
    p.put("git_commit", GitCommit.current());
    p.put("spark_master", org.apache.spark.sql.SparkSession.active().sparkContext().master());
    p.put("created", java.time.Instant.now().toString());
    return p;
  }
}
