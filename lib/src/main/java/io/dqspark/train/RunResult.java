package io.dqspark.train;

/**
 * What one training run reports: test accuracy at the epoch of lowest validation loss (the
 * reference's protocol), that epoch, and the mean wall time of a training epoch (evaluation
 * excluded).
 */
public record RunResult(double testAccuracy, double validationAccuracy, double validationLoss,
    int bestEpoch, int epochs, double secondsPerEpoch) {}
