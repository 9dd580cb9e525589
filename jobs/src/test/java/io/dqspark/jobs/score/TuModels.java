package io.dqspark.jobs.score;

import io.dqspark.export.GinExporter;
import io.dqspark.gnn.QuantMode;
import io.dqspark.graph.EdgeRules;
import io.dqspark.graph.GraphDataset;
import io.dqspark.jobs.SparkTestSession;
import io.dqspark.loaders.TuLoader;
import io.dqspark.model.GinModel;
import io.dqspark.model.ModelManifest;
import io.dqspark.model.QuantizedModel;
import io.dqspark.train.Architecture;
import io.dqspark.train.CrossValidationFolds;
import io.dqspark.train.EpochListener;
import io.dqspark.train.FeatureScaling;
import io.dqspark.train.Fold;
import io.dqspark.train.GraphClassificationRun;
import io.dqspark.train.TrainingOptions;
import io.dqspark.train.Variant;
import io.dqspark.util.HadoopFiles;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Short Degree-Quant INT8 GIN graph classifiers on the bundled TU datasets, published as {@code
 * NAME/v1} with what the train job records for graph-level data: the feature scale and the
 * held-out graphs of the fold.
 */
public final class TuModels {
  /** The model, its directory, the raw and the scaled dataset, and the fold it was trained on. */
  public record Published(Path dir, GinModel model, GraphDataset raw, GraphDataset scaled, Fold fold) {}

  private TuModels() {}

  public static Published publish(Path root, String dataset, int epochs, int hidden, long seed) {
    GraphDataset raw = TuLoader.load(HadoopFiles.withDefaults(), SparkTestSession.data("tu/" + dataset),
        dataset, EdgeRules.Options.DEFAULT);
    GraphClassificationRun run = new GraphClassificationRun(raw);
    TrainingOptions o = TrainingOptions.defaults(Architecture.GIN, true);
    o.variant = new Variant(QuantMode.DQ, 8);
    o.epochs = epochs;
    o.hidden = hidden;
    o.batchSize = 32;
    o.seed = seed;
    Fold fold = CrossValidationFolds.stratified(run.graphLabels(), 10, 1).get(0);
    run.run(fold, o, EpochListener.NONE);
    GinModel model = GinExporter.export(run.network(), Map.of("dataset", dataset));
    String name = dataset.toLowerCase(java.util.Locale.ROOT);
    ModelManifest m = TestModelDirs.dqInt8(name, "graph", QuantizedModel.GIN, model);
    m.featureScale = FeatureScaling.columnMaxAbs(raw);
    long[] ids = raw.graphs().graphIds();
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("dataset", dataset);
    data.put("test_graph_ids", Arrays.stream(fold.test()).mapToLong(i -> ids[i]).toArray());
    m.provenance.put("data", data);
    Path dir = TestModelDirs.write(root, m, model);
    return new Published(dir, model, raw, FeatureScaling.maxAbs(raw), fold);
  }
}
