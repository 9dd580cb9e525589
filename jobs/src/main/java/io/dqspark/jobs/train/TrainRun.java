package io.dqspark.jobs.train;

import io.dqspark.gnn.Nd4jSeeds;
import io.dqspark.gnn.QuantMode;
import io.dqspark.graph.GraphLevel;
import io.dqspark.jobs.DqCli;
import io.dqspark.jobs.pipeline.ShardStages;
import io.dqspark.stats.ProtectionRule;
import io.dqspark.train.Architecture;
import io.dqspark.train.BestEpoch;
import io.dqspark.train.Scores;
import io.dqspark.train.TrainingOptions;
import io.dqspark.train.Variant;
import io.dqspark.util.DqInputException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * One distributed training run from settings to a trained network: resolves the settings into the
 * engine's {@link TrainingOptions}, loads the driver's data, prepares the shards (ingest, stats and
 * partition, once per input and protection range) unless given, loads them on the executors,
 * starts from scratch, a warm start or the last checkpoint, and runs the {@link DistributedTrainer}.
 */
final class TrainRun {
  /** What a run produced. */
  record Result(ComputationGraph network, DriverData driver, TrainingOptions options, Progress progress,
      String name, int workers, int averagingFrequency, int parts, String shards, double wallSeconds) {
    Scores bestValidation() {
      return new Scores(progress.bestValidationLoss, progress.bestValidationAccuracy);
    }
  }

  private TrainRun() {}

  /**
   * @param warmStart a published network to start from (null: fresh initialisation)
   * @param checkpointDir where this run's checkpoints go
   */
  static Result run(SparkSession spark, TrainSettings s, String out, boolean resume,
      ComputationGraph warmStart, String checkpointDir, Consumer<String> log) {
    long t0 = System.nanoTime();
    DriverData driver = DriverData.load(resolve(required(s, "input"), "input"), s.bool("row_normalize", false),
        s.integer("fold", 0), s.has("splits") ? s.string("splits", null) : null);
    boolean graphLevel = driver.level == GraphLevel.GRAPH;
    TrainingOptions o = options(s, graphLevel);
    String name = s.string("name", driver.data.name());
    int workers = s.integer("workers", 2);
    int k = s.integer("averaging_frequency", 1);
    if (workers < 1 || k < 1) {
      throw new DqInputException("workers and averaging_frequency must be >= 1, got " + workers + " and " + k);
    }
    String shardsDir = s.has("shards") ? s.string("shards", null)
        : prepareShards(s, o, driver, out, name, workers, log);
    Checkpoints checkpoints = new Checkpoints(spark.sparkContext().hadoopConfiguration(), checkpointDir);
    String fingerprint = fingerprint(s.asMap());

    Checkpoints.Loaded c = resume ? checkpoints.load() : null;
    if (!resume && checkpoints.exists()) {
      throw new DqInputException("an interrupted run left checkpoints in " + checkpoints.dir()
          + "; pass --resume to continue it, or remove that folder to start over");
    }
    ShardLoader.Shards shards = ShardLoader.load(spark, shardsDir, workers, driver.data.numClasses(),
        DriverData.requiredPHigh(o), o.arch == Architecture.GCN ? new HaloStandIns(driver.rowNormalize) : null);
    ComputationGraph net;
    Progress progress;
    BestEpoch best;
    if (c != null) {
      if (!fingerprint.equals(c.progress().fingerprint)) {
        throw new DqInputException("--resume: checkpoint " + c.folder() + " was made with other settings;"
            + " resume with the same --conf and options, or start a new run");
      }
      net = c.network();
      progress = c.progress();
      progress.resumes++;
      best = progress.bestEpoch < 0 ? new BestEpoch() : BestEpoch.restore(progress.bestEpoch,
          new Scores(progress.bestValidationLoss, progress.bestValidationAccuracy),
          new Scores(progress.bestTestLoss, progress.bestTestAccuracy), c.best());
      log.accept("resuming from " + c.folder() + " at epoch " + progress.nextEpoch);
    } else {
      Nd4jSeeds.seed(o.seed);
      net = new ComputationGraph(driver.network(o, shards.parts()));
      net.init();
      if (warmStart != null) {
        if (warmStart.params().length() != net.params().length()) {
          throw new DqInputException("--init-from: that model has " + warmStart.params().length()
              + " parameters, this configuration " + net.params().length() + " (another architecture?)");
        }
        net.setParams(warmStart.params().castTo(net.params().dataType()));
      }
      progress = new Progress();
      progress.fingerprint = fingerprint;
      best = new BestEpoch();
    }

    StepPlan plan = new StepPlan(driver.level, o.seed, o.batchSize, driver.rowNormalize, driver.featureScale,
        graphLevel ? driver.trainGraphIds() : null, o.mode() == QuantMode.DQ);
    DistributedTrainer trainer = new DistributedTrainer(JavaSparkContext.fromSparkContext(spark.sparkContext()),
        shards, plan, workers, k, o.epochs, driver);
    log.accept(String.format("training %s: %s %s, %d workers on %d parts, averaging every %d steps, %d epochs",
        name, o.arch.label(), o.variant, workers, shards.parts(), k, o.epochs));
    Progress p = progress;
    try {
      trainer.train(net, progress, best, b -> checkpoints.save(net, b.params(), p), log);
    } finally {
      shards.rdd().unpersist(false);
    }
    return new Result(net, driver, o, progress, name, workers, k, shards.parts(), shardsDir,
        (System.nanoTime() - t0) / 1e9);
  }

  /** The engine's options: the published defaults of the architecture, then the settings. */
  static TrainingOptions options(TrainSettings s, boolean graphLevel) {
    Architecture arch;
    Variant variant;
    try {
      arch = Architecture.parse(s.string("arch", graphLevel ? "gin" : "gcn"));
      variant = Variant.of(s.string("precision", "fp32"), s.string("method", "dq"));
    } catch (IllegalArgumentException e) {
      throw new DqInputException(e.getMessage(), e);
    }
    if (graphLevel && arch != Architecture.GIN) {
      throw new DqInputException("arch = " + arch.label() + ": graph-level data trains gin");
    }
    TrainingOptions o = TrainingOptions.defaults(arch, graphLevel);
    o.variant = variant;
    o.epochs = s.integer("epochs", o.epochs);
    o.learningRate = s.number("learning_rate", o.learningRate);
    o.lrStepEpochs = s.integer("lr_step_epochs", o.lrStepEpochs);
    o.weightDecay = s.number("weight_decay", o.weightDecay);
    o.dropout = s.number("dropout", o.dropout);
    o.hidden = s.integer("hidden", o.hidden);
    o.layers = s.integer("layers", o.layers);
    o.batchSize = s.integer("batch_size", o.batchSize);
    o.seed = s.integer("seed", (int) o.seed);
    if (s.has("p_low") || s.has("p_high")) {
      ProtectionRule d = o.protectionRule();
      o.protection = new ProtectionRule(s.number("p_low", d.pLow()), s.number("p_high", d.pHigh()));
    }
    try {
      return o.validate();
    } catch (IllegalArgumentException e) {
      throw new DqInputException("settings: " + e.getMessage(), e);
    }
  }

  /**
   * Runs ingest, stats (with the run's protection range) and partition from {@code input} into a
   * folder beside the models, reused by later runs with the same input, parts and range.
   */
  private static String prepareShards(TrainSettings s, TrainingOptions o, DriverData driver, String out,
      String name, int workers, Consumer<String> log) {
    int parts = s.integer("parts", 2);
    if (workers > parts) {
      throw new DqInputException("workers = " + workers + " but parts = " + parts
          + "; use at most " + parts + " workers or set parts");
    }
    ProtectionRule rule = o.protectionRule();
    String key = fingerprint(Map.of("input", driver.source, "parts", "" + parts,
        "p", rule.pLow() + "," + rule.pHigh())).substring(0, 12);
    String dir = new Path(new Path(out, name), ".prepared-" + key).toString();
    String partsDir = dir + "/parts";
    Configuration conf = SparkSession.active().sparkContext().hadoopConfiguration();
    try {
      Path done = new Path(partsDir, "_SUCCESS");
      if (done.getFileSystem(conf).exists(done)) {
        log.accept("shards: reusing " + partsDir);
        return partsDir;
      }
    } catch (java.io.IOException e) {
      throw new DqInputException(partsDir + ": " + e.getMessage(), e);
    }
    log.accept("shards: preparing " + partsDir + " (ingest, stats, partition)");
    try {
      ShardStages.run(driver.source, null, rule.pLow(), rule.pHigh(), parts, dir, true,
          ShardStages.StageLog.lines("shards", log), (stage, run) -> { });
    } catch (DqInputException e) {
      throw new DqInputException("preparing shards from " + driver.source + " failed: " + e.getMessage(), e);
    }
    return partsDir;
  }

  /** See {@link io.dqspark.jobs.common.ProjectPaths#resolve}. */
  static String resolve(String path, String key) {
    return io.dqspark.jobs.common.ProjectPaths.resolve(path, key);
  }

  static String required(TrainSettings s, String key) {
    if (!s.has(key)) {
      String hint = "input".equals(key) && s.has("rmat_scale")
          ? "; rmat_scale is read by bin/dq pipeline, which generates the graph and then sets input" : "";
      throw new DqInputException("setting '" + key + "' is required (" + TrainSettings.KEYS.get(key) + ")" + hint);
    }
    return s.string(key, null);
  }

  /** SHA-256 of the sorted settings: ties checkpoints and prepared shards to what made them. */
  static String fingerprint(Map<String, String> settings) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      new java.util.TreeMap<>(settings).forEach((k, v) -> md.update((k + "=" + v + "\n").getBytes(StandardCharsets.UTF_8)));
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
