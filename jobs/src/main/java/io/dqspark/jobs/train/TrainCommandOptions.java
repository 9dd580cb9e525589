package io.dqspark.jobs.train;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The command-line options train and retrain share: the conf file and the overrides of its keys.
 * A picocli mixin, so both commands spell them the same.
 */
public final class TrainCommandOptions {
  @Option(names = "--conf", required = true, description = "Settings file (key = value lines, e.g. conf/cora.conf).")
  Path conf;

  @Option(names = "--out", required = true, description = "Model root: models go to OUT/NAME/vN.")
  String out;

  @Option(names = "--workers", description = "Overrides 'workers'.")
  Integer workers;

  @Option(names = "--precision", description = "Overrides 'precision' (fp32, int8, int4).")
  String precision;

  @Option(names = "--method", description = "Overrides 'method' (qat, dq).")
  String method;

  @Option(names = "--epochs", description = "Overrides 'epochs'.")
  Integer epochs;

  @Option(names = "--averaging-frequency", description = "Overrides 'averaging_frequency'.")
  Integer averagingFrequency;

  @Option(names = "--batch-size", description = "Overrides 'batch_size'.")
  Integer batchSize;

  @Option(names = "--seed", description = "Overrides 'seed'.")
  Integer seed;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Overrides any conf key (repeatable).")
  Map<String, String> set = new LinkedHashMap<>();

  /** The conf file with every override applied (overrides name themselves in errors). */
  TrainSettings settings() {
    TrainSettings s = TrainSettings.read(conf);
    put(s, "workers", workers, "--workers");
    put(s, "precision", precision, "--precision");
    put(s, "method", method, "--method");
    put(s, "epochs", epochs, "--epochs");
    put(s, "averaging_frequency", averagingFrequency, "--averaging-frequency");
    put(s, "batch_size", batchSize, "--batch-size");
    put(s, "seed", seed, "--seed");
    set.forEach((k, v) -> s.set(k, v, "--set " + k));
    return s;
  }

  private static void put(TrainSettings s, String key, Object value, String option) {
    if (value != null) {
      s.set(key, value.toString(), option);
    }
  }
}
