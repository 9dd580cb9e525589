package io.dqspark.jobs.score;

import io.dqspark.model.ClassScores;
import io.dqspark.model.IntegerScorer;

/**
 * The integer engine of a graph-level model: one whole graph in, its class out. The extension
 * point of {@code dq_predict_graph}; {@link #of} serves every engine, since each scores a whole
 * graph the same way.
 */
public interface GraphClassifier {
  /** A graph's predicted class and class probabilities. */
  record Prediction(int prediction, double[] probabilities) {}

  /**
   * @param features row-major {@code [nodes, featureDim]}, already checked finite and of the right width
   * @param src, dst edges over node indices {@code 0..nodes-1}, already checked in range
   */
  Prediction classify(float[] features, int nodes, int[] src, int[] dst);

  /** The classifier of a graph-level model's engine: the one row its whole-graph score gives. */
  static GraphClassifier of(IntegerScorer engine) {
    return (features, nodes, src, dst) -> {
      ClassScores r = engine.score(features, nodes, src, dst);
      return new Prediction(r.predictions()[0], r.probabilities(0));
    };
  }
}
