package io.dqspark.train;

import io.dqspark.graph.GraphDataset;
import java.util.ArrayList;
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
    List<ResultRow> rows = new ArrayList<>();
    for (Architecture arch : grid.archs()) {
      for (Variant variant : grid.variants()) {
        List<RunResult> results = new ArrayList<>();
        for (int f = 0; f < folds.size(); f++) {
          TrainingOptions o = TrainingOptions.defaults(arch, true);
          o.variant = variant;
          o.seed = f;
          tune.accept(o);
          RunResult r = runner.run(folds.get(f), o, EpochListener.NONE);
          results.add(r);
          progress.accept(String.format(java.util.Locale.ROOT,
              "%s %s %s fold %d: test %.1f%% (best epoch %d of %d, %.3f s/epoch)", label,
              arch.label(), variant, f, 100 * r.testAccuracy(), r.bestEpoch(), r.epochs(),
              r.secondsPerEpoch()));
        }
        rows.add(ResultRow.of(label, arch, variant, results));
      }
    }
    return rows;
  }
}
