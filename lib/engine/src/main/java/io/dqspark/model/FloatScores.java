package io.dqspark.model;

/**
 * Classes and probabilities from row-major {@code [rows, classes]} FP32 logits, through the same
 * {@link LogitRows} argmax and softmax as the integer results, so both kinds of engine break ties
 * alike.
 */
public record FloatScores(float[] logits, int classes) implements ClassScores {
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
