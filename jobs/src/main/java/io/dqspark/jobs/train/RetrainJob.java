package io.dqspark.jobs.train;

import io.dqspark.jobs.DqCli;
import io.dqspark.jobs.common.SparkSessions;
import io.dqspark.train.Scores;
import io.dqspark.util.DqInputException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bin/dq retrain}, for cron and Airflow: trains a challenger on the current data, warm-started
 * from the champion ({@link ChampionPointer}), scores both on the same validation data, and
 * promotes the challenger (publishes it as the next version and moves the pointer) only if its
 * validation accuracy is at least the champion's minus {@code promote_tolerance}. Prints one summary
 * line; the exit code says what happened.
 */
@Command(name = "retrain", mixinStandardHelpOptions = true,
    description = "Train a challenger from the champion; promote it if not worse by more than the tolerance.",
    footer = {"Exit codes: 0 promoted, 3 refused (challenger worse), 4 not promoted (another retrain"
        + " changed the champion meanwhile), 2 bad input, 1 failure."})
public final class RetrainJob implements Callable<Integer> {
  public static final int PROMOTED = 0;
  public static final int REFUSED = 3;
  public static final int LOST_RACE = 4;
  private static final Logger LOG = LoggerFactory.getLogger(RetrainJob.class);

  @Mixin TrainCommandOptions options;

  @Option(names = "--tolerance", description = "Overrides 'promote_tolerance'.")
  Double tolerance;

  public static void main(String[] args) {
    DqCli.exit(DqCli.runAndStop(new RetrainJob(), args));
  }

  @Override
  public Integer call() {
    SparkSession spark = SparkSessions.getOrCreate("dq retrain");
    TrainSettings settings = options.settings();
    if (tolerance != null) {
      settings.set("promote_tolerance", tolerance.toString(), "--tolerance");
    }
    double tol = settings.number("promote_tolerance", 0.01);
    if (!(tol >= 0 && tol <= 1)) {
      throw new DqInputException("promote_tolerance must be in [0, 1], got " + tol);
    }
    String name = settings.string("name", null);
    if (name == null) {
      throw new DqInputException(options.conf + ": set 'name' (the model folder under --out)");
    }
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    ModelDirectory models = new ModelDirectory(conf, options.out, name);
    ChampionPointer pointer = new ChampionPointer(conf, models.root());
    String champion = pointer.read();
    ModelDirectory.Published champ = champion == null ? null
        : ModelDirectory.read(conf, new Path(models.root(), champion).toString());

    String checkpoints = new Path(models.root(), ".retrain-" + UUID.randomUUID()).toString();
    TrainRun.Result r;
    try {
      r = TrainRun.run(spark, settings, options.out, false, champ == null ? null : champ.network(),
          checkpoints, LOG::info);
    } finally {
      new Checkpoints(conf, checkpoints).clear();
    }
    Scores challenger = r.bestValidation();
    Scores held = champ == null ? null : r.driver().evaluate(champ.network()).validation();
    String versus = held == null ? "no champion"
        : String.format("champion %s %.4f", champion, held.accuracy());
    if (held != null && challenger.accuracy() < held.accuracy() - tol) {
      System.out.printf("retrain %s: REFUSED (challenger validation accuracy %.4f vs %s, tolerance %.4f)%n",
          name, challenger.accuracy(), versus, tol);
      return REFUSED;
    }
    String[] published = new String[1];
    boolean promoted = pointer.compareAndSet(champion, () -> {
      Map<String, Object> extra = new LinkedHashMap<>();
      extra.put("champion_before", champion == null ? "none" : champion);
      if (held != null) {
        extra.put("champion_validation_accuracy", held.accuracy());
      }
      extra.put("promote_tolerance", tol);
      published[0] = ModelPublisher.publish(conf, models, null, r, settings,
          ModelPublisher.ConfigSource.of(options.conf), extra).getName();
      return published[0];
    });
    if (!promoted) {
      System.out.printf("retrain %s: NOT PROMOTED (the champion changed from %s to %s while this retrain ran;"
          + " challenger validation accuracy %.4f)%n", name, champion, pointer.read(), challenger.accuracy());
      return LOST_RACE;
    }
    System.out.printf("retrain %s: PROMOTED %s (challenger validation accuracy %.4f vs %s, tolerance %.4f)%n",
        name, published[0], challenger.accuracy(), versus, tol);
    return PROMOTED;
  }
}
