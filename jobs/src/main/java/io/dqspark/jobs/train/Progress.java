package io.dqspark.jobs.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;

/**
 * What a run has done so far, saved with every checkpoint so that {@code --resume} continues where
 * it stopped and {@code metrics.json} lists every epoch exactly once. {@code fingerprint} ties a
 * checkpoint to the settings it was made with.
 */
public final class Progress {
  /** One evaluation point (the last epoch of an averaging round, or of an epoch's rounds). */
  public record EpochRecord(
      @JsonProperty("epoch") int epoch,
      @JsonProperty("train_loss") double trainLoss,
      @JsonProperty("validation_loss") double validationLoss,
      @JsonProperty("validation_accuracy") double validationAccuracy,
      @JsonProperty("test_accuracy") double testAccuracy,
      @JsonProperty("seconds") double seconds) {}

  @JsonProperty("fingerprint") public String fingerprint;
  @JsonProperty("next_epoch") public int nextEpoch;
  @JsonProperty("epochs") public List<EpochRecord> epochs = new ArrayList<>();
  @JsonProperty("best_epoch") public int bestEpoch = -1;
  @JsonProperty("best_validation_loss") public double bestValidationLoss;
  @JsonProperty("best_validation_accuracy") public double bestValidationAccuracy;
  @JsonProperty("best_test_loss") public double bestTestLoss;
  @JsonProperty("best_test_accuracy") public double bestTestAccuracy;
  /** Training wall time of all finished rounds, resumed runs included. */
  @JsonProperty("train_seconds") public double trainSeconds;
  /** How many times this run was resumed. */
  @JsonProperty("resumes") public int resumes;
}
