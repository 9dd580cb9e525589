package io.dqspark.jobs.score;

import io.dqspark.model.ClassScores;
import io.dqspark.model.IntegerScorer;
import io.dqspark.model.ModelTask;
import io.dqspark.model.QuantizedModel;
import io.dqspark.util.DqInputException;

/**
 * A model read and prepared for scoring once per executor JVM: its integer engine, whatever the
 * architecture ({@link QuantizedModel#scorer}), and, for graph-level models, the {@link
 * GraphClassifier} over it. Thread-safe.
 */
public record LoadedModel(ModelRef ref, IntegerScorer engine, GraphClassifier graphClassifier) {

  public static LoadedModel of(ModelRef ref, QuantizedModel model) {
    IntegerScorer engine = model.scorer();
    return new LoadedModel(ref, engine,
        model.task() == ModelTask.GRAPH ? GraphClassifier.of(engine) : null);
  }

  public QuantizedModel model() {
    return engine.model();
  }

  /** Every node of one whole graph through this model's engine. */
  public ClassScores scoreNodes(float[] features, int nodes, int[] src, int[] dst) {
    return engine.score(features, nodes, src, dst);
  }

  public GraphClassifier requireGraphClassifier() {
    if (graphClassifier == null) {
      throw new DqInputException(ref + ": dq_predict_graph needs a graph-level model, this is a "
          + model().task().name().toLowerCase(java.util.Locale.ROOT) + "-level "
          + model().architecture() + " (score its nodes with dq_predict_nodes)");
    }
    return graphClassifier;
  }

  boolean nodeLevel() {
    return model().task() == ModelTask.NODE;
  }
}
