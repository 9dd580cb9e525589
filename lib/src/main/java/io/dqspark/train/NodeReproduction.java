package io.dqspark.train;

import io.dqspark.graph.GraphDataset;
import java.util.List;
import java.util.function.Consumer;

/**
 * Node classification over seeds: each grid cell trains from scratch once per seed on the
 * dataset's standard split and reports the mean ± std of test accuracy at the best validation
 * epoch.
 */
public final class NodeReproduction {
  private final GraphDataset data;
  private final String label;
  private final boolean rowNormalize;

  public NodeReproduction(GraphDataset data, String label, boolean rowNormalize) {
    this.data = data;
    this.label = label;
    this.rowNormalize = rowNormalize;
  }

  /**
   * @param tune adjusts each cell's options (epochs, patience ...) after the published defaults
   * @param progress receives one line per finished run
   */
  public List<ResultRow> run(Grid grid, int seeds, Consumer<TrainingOptions> tune,
      Consumer<String> progress) {
    if (seeds < 1) {
      throw new IllegalArgumentException("--seeds must be >= 1, got " + seeds);
    }
    NodeClassificationRun runner = new NodeClassificationRun(data, rowNormalize);
    return grid.run(label, seeds, "seed", (arch, variant, seed) -> {
      TrainingOptions o = TrainingOptions.defaults(arch, false);
      o.variant = variant;
      o.seed = seed;
      tune.accept(o);
      return runner.run(o);
    }, progress);
  }
}
