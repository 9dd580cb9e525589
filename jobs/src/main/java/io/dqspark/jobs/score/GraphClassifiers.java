package io.dqspark.jobs.score;

import io.dqspark.model.QuantizedModel;
import io.dqspark.util.DqInputException;

/**
 * The {@link GraphClassifier} of a model, by architecture. Model files of format v1 hold GCN node
 * classifiers only; a graph-level engine registers here as it lands (GIN: {@code IntegerGin} run on
 * a {@code GinGraph}, then its first row's prediction and probabilities).
 */
final class GraphClassifiers {
  private GraphClassifiers() {}

  static GraphClassifier of(ModelRef ref, QuantizedModel model) {
    throw new DqInputException(ref + ": no graph-level integer engine for architecture '"
        + model.architecture() + "' (task " + ref.task() + "); dq_predict_graph needs a graph-level "
        + "model, dq_predict_nodes scores node-level ones");
  }
}
