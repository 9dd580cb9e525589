package io.dqspark.jobs.score;

import io.dqspark.model.IntegerGcn;
import io.dqspark.model.IntegerGin;
import io.dqspark.model.ModelTask;
import io.dqspark.model.QuantizedModel;
import io.dqspark.util.DqInputException;

/**
 * A model read and prepared for scoring once per executor JVM: its integer engine (GCN or GIN)
 * and, for graph-level models, the {@link GraphClassifier} over it. Thread-safe.
 */
public record LoadedModel(ModelRef ref, QuantizedModel model, IntegerGcn gcn, IntegerGin gin,
    GraphClassifier graphClassifier) {

  public static LoadedModel of(ModelRef ref, QuantizedModel model) {
    IntegerGcn gcn = QuantizedModel.GCN.equals(model.architecture()) ? new IntegerGcn(model) : null;
    IntegerGin gin = QuantizedModel.GIN.equals(model.architecture()) ? new IntegerGin(model) : null;
    return new LoadedModel(ref, model, gcn, gin, GraphClassifiers.of(model, gin));
  }

  public IntegerGcn requireGcn() {
    if (gcn == null) {
      throw new DqInputException(ref + " is a " + model.architecture()
          + " model; layer-by-layer scoring of a partitioned graph needs a GCN");
    }
    return gcn;
  }

  public GraphClassifier requireGraphClassifier() {
    if (graphClassifier == null) {
      throw new DqInputException(ref + ": dq_predict_graph needs a graph-level model, this is a "
          + model.task().name().toLowerCase(java.util.Locale.ROOT) + "-level "
          + model.architecture() + " (score its nodes with dq_predict_nodes)");
    }
    return graphClassifier;
  }

  boolean nodeLevel() {
    return model.task() == ModelTask.NODE;
  }
}
