package io.dqspark.jobs.score;

import io.dqspark.model.ClassScores;
import io.dqspark.model.LogitRows;

/**
 * Classes and probabilities from FP32 logits, through the same {@link LogitRows} argmax and softmax
 * as the integer results, so both engines break ties alike.
 */
record FloatScores(float[] logits, int classes) implements ClassScores {
  @Override
  public int[] predictions() {
    return LogitRows.argmax(logits, classes);
  }

  @Override
  public double[] probabilities(int r) {
    int base = r * classes;
    return LogitRows.softmax(classes, c -> logits[base + c], 1.0);
  }
}
