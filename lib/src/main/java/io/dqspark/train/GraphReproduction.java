package io.dqspark.train;

import io.dqspark.graph.GraphDataset;
import java.util.List;
import java.util.function.Consumer;

/**
 * Graph classification over cross-validation folds: each grid cell trains once per fold and
 * reports the mean ± std of the folds' test accuracies (each at its lowest validation loss).
 */
public final class GraphReproduction {
  private final GraphDataset data;
  private final String label;
  private final List<Fold> folds;

  public GraphReproduction(GraphDataset data, String label, List<Fold> folds) {
    if (folds.isEmpty()) {
      throw new IllegalArgumentException("no folds");
    }
    this.data = data;
    this.label = label;
    this.folds = List.copyOf(folds);
  }

  public List<ResultRow> run(Grid grid, Consumer<TrainingOptions> tune, Consumer<String> progress) {
    GraphClassificationRun runner = new GraphClassificationRun(data);
    return grid.run(label, folds.size(), "fold", (arch, variant, f) -> {
      TrainingOptions o = TrainingOptions.defaults(arch, true);
      o.variant = variant;
      o.learningRate = TrainingOptions.graphLearningRate(variant);
      o.seed = f;
      tune.accept(o);
      return runner.run(folds.get(f), o, EpochListener.NONE);
    }, progress);
  }
}
