package io.dqspark.jobs.score;

import io.dqspark.export.GinExporter;
import io.dqspark.gnn.QuantMode;
import io.dqspark.graph.EdgeRules;
import io.dqspark.graph.GraphDataset;
import io.dqspark.jobs.SparkTestSession;
import io.dqspark.loaders.TuLoader;
import io.dqspark.model.QuantizedModel;
import io.dqspark.train.Architecture;
import io.dqspark.train.CrossValidationFolds;
import io.dqspark.train.EpochListener;
import io.dqspark.train.FeatureScaling;
import io.dqspark.train.GraphClassificationRun;
import io.dqspark.train.TrainingOptions;
import io.dqspark.train.Variant;
import io.dqspark.util.HadoopFiles;
import java.nio.file.Path;
import java.util.Map;

/** A short Degree-Quant INT8 GIN graph classifier on the bundled MUTAG, published as {@code mutag/v1}. */
public final class MutagModels {
  /** The model, its directory, and MUTAG with the features scaled as in training. */
  public record Published(Path dir, QuantizedModel model, GraphDataset scaled) {}

  private MutagModels() {}

  public static Published publish(Path root) {
    GraphDataset raw = TuLoader.load(HadoopFiles.withDefaults(), SparkTestSession.data("tu/MUTAG"),
        "MUTAG", EdgeRules.Options.DEFAULT);
    GraphClassificationRun run = new GraphClassificationRun(raw);
    TrainingOptions o = TrainingOptions.defaults(Architecture.GIN, true);
    o.variant = new Variant(QuantMode.DQ, 8);
    o.epochs = 5;
    o.hidden = 16;
    o.batchSize = 32;
    o.seed = 3;
    run.run(CrossValidationFolds.stratified(run.graphLabels(), 10, 1).get(0), o, EpochListener.NONE);
    QuantizedModel model = GinExporter.export(run.network(), Map.of("dataset", "MUTAG"));
    Path dir = TestModelDirs.write(root, TestModelDirs.dqInt8("mutag", "graph", QuantizedModel.GIN, model), model);
    return new Published(dir, model, FeatureScaling.maxAbs(raw));
  }
}
