package io.dqspark.jobs.score;

import io.dqspark.model.GinGraph;
import io.dqspark.model.IntegerGin;
import io.dqspark.model.ModelTask;
import io.dqspark.model.QuantizedModel;

/**
 * The {@link GraphClassifier} of a graph-level model, by architecture: GIN through {@link
 * IntegerGin} (the only graph-level engine so far). A new engine registers here.
 */
final class GraphClassifiers {
  private GraphClassifiers() {}

  /** The classifier, or null when the model is not a graph-level one. */
  static GraphClassifier of(QuantizedModel model, IntegerGin gin) {
    if (model.task() != ModelTask.GRAPH) {
      return null;
    }
    if (gin != null) {
      return (features, nodes, src, dst) -> {
        IntegerGin.Result r = gin.run(features, GinGraph.of(nodes, src, dst));
        return new GraphClassifier.Prediction(r.predictions()[0], r.probabilities(0));
      };
    }
    return null;
  }
}
