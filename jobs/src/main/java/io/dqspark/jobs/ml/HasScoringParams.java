package io.dqspark.jobs.ml;

import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * The estimator's and the model's shared params and their getters, mixed in the way Spark's
 * {@code HasFeaturesCol}-style traits are (Spark copies the values from one to the other by name
 * when {@code fit} returns). Public because Spark finds params by reflection on public methods.
 * Setters stay in each class, which returns its own type.
 */
public interface HasScoringParams extends Params {
  /** The param objects, created once per instance by {@link ScoringParams}. */
  ScoringParams scoringParams();

  default Param<String> featuresCol() {
    return scoringParams().featuresCol;
  }

  default Param<String> predictionCol() {
    return scoringParams().predictionCol;
  }

  default Param<String> probabilityCol() {
    return scoringParams().probabilityCol;
  }

  default Param<String> edgesTable() {
    return scoringParams().edgesTable;
  }

  default IntParam scoringParts() {
    return scoringParams().scoringParts;
  }

  default String getFeaturesCol() {
    return getOrDefault(featuresCol());
  }

  default String getPredictionCol() {
    return getOrDefault(predictionCol());
  }

  default String getProbabilityCol() {
    return getOrDefault(probabilityCol());
  }

  /** The edges table's name, or null when unset. */
  default String getEdgesTable() {
    return isDefined(edgesTable()) ? getOrDefault(edgesTable()) : null;
  }

  default int getScoringParts() {
    return (Integer) getOrDefault(scoringParts());
  }
}
