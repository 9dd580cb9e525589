package io.dqspark.jobs.train;

import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The train job's run and publication as one call for code outside this package (the Spark ML
 * estimator): the same {@link TrainRun}, {@link DistributedTrainer} and {@link ModelPublisher}, so
 * a model fitted through the API is trained and exported exactly as {@code bin/dq train} does.
 */
public final class TrainAndPublish {
  /** The published model folder and the scores of its best epoch. */
  public record Published(Path dir, double testAccuracy, double validationAccuracy, int bestEpoch,
      double wallSeconds) {}

  private TrainAndPublish() {}

  /**
   * Trains from scratch with {@code settings} (their {@code name} names the model) and publishes
   * the next version under {@code out}; checkpoints go to {@code out/NAME/.checkpoint} and are
   * removed after publication.
   */
  public static Published run(SparkSession spark, TrainSettings settings, String out, Consumer<String> log) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    ModelDirectory models = new ModelDirectory(conf, out, settings.string("name", "model"));
    String checkpoints = new Path(models.root(), ".checkpoint").toString();
    TrainRun.Result r = TrainRun.run(spark, settings, out, false, null, checkpoints, log);
    Path dir = ModelPublisher.publish(conf, models, null, r, settings, null, null);
    new Checkpoints(conf, checkpoints).clear();
    Progress p = r.progress();
    return new Published(dir, p.bestTestAccuracy, p.bestValidationAccuracy, p.bestEpoch, r.wallSeconds());
  }
}
