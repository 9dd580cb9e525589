package io.dqspark.jobs.train;

import io.dqspark.jobs.DqCli;
import io.dqspark.jobs.common.SparkJob;
import io.dqspark.util.DqInputException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bin/dq train}: data-parallel training on the executors, then the model published as the
 * next version {@code OUT/NAME/vN/}. Checkpoints go to {@code OUT/NAME/.checkpoint/} after every
 * evaluated epoch and are removed once the version is published.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train a Degree-Quant GNN on Spark with DL4J parameter averaging and publish OUT/NAME/vN.")
public final class TrainJob extends SparkJob {
  private static final Logger LOG = LoggerFactory.getLogger(TrainJob.class);

  @Mixin TrainCommandOptions options;

  @Option(names = "--resume", description = "Continue the interrupted run from its last checkpoint.")
  boolean resume;

  @Option(names = "--init-from", paramLabel = "MODEL_DIR", description = "Warm start from a published model folder.")
  String initFrom;

  @Option(names = "--version", description = "Publish as this version (default: the next one); never replaces one.")
  Integer version;

  @Option(names = "--checkpoint-dir", description = "Checkpoint folder (default: OUT/NAME/.checkpoint).")
  String checkpointDir;

  public static void main(String[] args) {
    DqCli.exit(DqCli.runAndStop(new TrainJob(), args));
  }

  @Override
  protected String stage() {
    return "train";
  }

  @Override
  protected void run(SparkSession spark) {
    TrainSettings settings = options.settings();
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    String name = settings.string("name", null);
    if (name == null) {
      throw new DqInputException(options.conf + ": set 'name' (the model folder under --out)");
    }
    ModelDirectory models = new ModelDirectory(conf, options.out, name);
    if (version != null) {
      if (version < 1) {
        throw new DqInputException("--version must be >= 1, got " + version);
      }
      models.requireFree(version);
    }
    var warm = initFrom == null ? null : ModelDirectory.read(conf, initFrom).network();
    String checkpoints = checkpointDir != null ? checkpointDir : new Path(models.root(), ".checkpoint").toString();
    TrainRun.Result r = TrainRun.run(spark, settings, options.out, resume, warm, checkpoints, LOG::info);
    org.apache.hadoop.fs.Path published = ModelPublisher.publish(conf, models, version, r, settings,
        ModelPublisher.ConfigSource.of(options.conf),
        initFrom == null ? null : java.util.Map.of("init_from", initFrom));
    new Checkpoints(conf, checkpoints).clear();
    System.out.printf("train %s: published %s (test accuracy %.4f, validation accuracy %.4f, best epoch %d,"
        + " %d workers, %.1f s)%n", r.name(), published, r.progress().bestTestAccuracy,
        r.progress().bestValidationAccuracy, r.progress().bestEpoch, r.workers(), r.wallSeconds());
  }
}
