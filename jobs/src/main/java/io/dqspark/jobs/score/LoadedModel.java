package io.dqspark.jobs.score;

import io.dqspark.model.ClassScores;
import io.dqspark.model.GcnGraph;
import io.dqspark.model.GinGraph;
import io.dqspark.model.IntegerGat;
import io.dqspark.model.IntegerGcn;
import io.dqspark.model.IntegerGin;
import io.dqspark.model.ModelTask;
import io.dqspark.model.QuantizedModel;
import io.dqspark.util.DqInputException;

/**
 * A model read and prepared for scoring once per executor JVM: its integer engine (GCN, GIN or
 * GAT) and, for graph-level models, the {@link GraphClassifier} over it. Thread-safe.
 */
public record LoadedModel(ModelRef ref, QuantizedModel model, IntegerGcn gcn, IntegerGin gin,
    IntegerGat gat, GraphClassifier graphClassifier) {

  public static LoadedModel of(ModelRef ref, QuantizedModel model) {
    IntegerGcn gcn = QuantizedModel.GCN.equals(model.architecture()) ? new IntegerGcn(model) : null;
    IntegerGin gin = QuantizedModel.GIN.equals(model.architecture()) ? new IntegerGin(model) : null;
    IntegerGat gat = QuantizedModel.GAT.equals(model.architecture()) ? new IntegerGat(model) : null;
    return new LoadedModel(ref, model, gcn, gin, gat, GraphClassifiers.of(model, gin));
  }

  /** Every node of one whole graph through the node-level engine of this model's architecture. */
  public ClassScores scoreNodes(float[] features, int nodes, int[] src, int[] dst) {
    if (gin != null) {
      return gin.run(features, GinGraph.of(nodes, src, dst));
    }
    GcnGraph g = GcnGraph.of(nodes, src, dst);
    return gat != null ? gat.run(features, g) : gcn.run(features, g);
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
