package io.dqspark.jobs.train;

import io.dqspark.jobs.SparkTestSession;
import java.nio.file.Path;

/** Paths of the training fixtures (jobs/src/test/resources/train, see its README). */
final class TrainFixtures {
  private TrainFixtures() {}

  /** Cora in 2 parts, stats with p in [0, 0.1]. */
  static String coraParts() {
    return SparkTestSession.repoRoot().resolve("jobs/src/test/resources/train/cora-parts2").toString();
  }

  static Path coraConf() {
    return SparkTestSession.repoRoot().resolve("conf/cora.conf");
  }
}
