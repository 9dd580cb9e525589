package io.dqspark.train;

import io.dqspark.gnn.GinModels;
import io.dqspark.gnn.GraphBatch;
import io.dqspark.gnn.Nd4jSeeds;
import io.dqspark.gnn.QuantMode;
import io.dqspark.graph.GraphDataset;
import io.dqspark.graph.GraphLevel;
import io.dqspark.stats.DegreeStats;
import java.util.Random;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Graph classification on one cross-validation fold: shuffled mini-batches of whole graphs packed
 * block-diagonally ({@link GraphBatch}), one evaluation forward per epoch on the validation and
 * test graphs (every node quantized), and the test accuracy at the epoch of lowest validation loss,
 * as the reference reports it.
 */
public final class GraphClassificationRun {
  private static final DataType TYPE = DataType.FLOAT;

  private final GraphDataset data;
  private final int[] graphLabels;
  private final boolean signedFeatures;
  private ComputationGraph net;

  /** @param raw the dataset as loaded; its features are scaled by {@link FeatureScaling#maxAbs} */
  public GraphClassificationRun(GraphDataset raw) {
    if (raw.level() != GraphLevel.GRAPH) {
      throw new IllegalArgumentException("dataset '" + raw.name() + "' is node-level");
    }
    GraphDataset data = FeatureScaling.maxAbs(raw);
    this.data = data;
    this.graphLabels = IntStream.range(0, data.graphs().size()).map(g -> data.graphs().label(g)).toArray();
    float min = 0;
    for (float[] row : data.vertices().features()) {
      for (float f : row) {
        min = Math.min(min, f);
      }
    }
    this.signedFeatures = min < 0;
  }

  /** Graph labels by graph index (the stratification key of the folds). */
  public int[] graphLabels() {
    return graphLabels.clone();
  }

  public RunResult run(Fold fold, TrainingOptions o, EpochListener listener) {
    o.validate();
    if (o.arch != Architecture.GIN) {
      throw new IllegalArgumentException("graph classification is built for gin, not " + o.arch.label());
    }
    Nd4jSeeds.seed(o.seed);
    double[] maskProb = o.mode() == QuantMode.DQ
        ? DegreeStats.compute(data, o.protectionRule(), true).maskProb()
        : null;
    GraphBatch batch = GraphBatch.of(data, maskProb);
    net = new ComputationGraph(network(o, data.featureDim(), data.numClasses(), signedFeatures));
    net.init();

    INDArray[] valInputs = batch.inputs(fold.validation(), TYPE);
    INDArray[] testInputs = batch.inputs(fold.test(), TYPE);
    int[] valLabels = labels(fold.validation());
    int[] testLabels = labels(fold.test());
    int[] valRows = IntStream.range(0, valLabels.length).toArray();
    int[] testRows = IntStream.range(0, testLabels.length).toArray();
    Random shuffle = new Random(o.seed);
    return EpochLoop.run(net, o, new EpochLoop.Task() {
      @Override
      public void trainEpoch() {
        for (int[] graphs : GraphBatch.miniBatches(fold.train(), o.batchSize, shuffle)) {
          net.fit(batch.example(graphs, TYPE));
        }
      }

      @Override
      public EpochLoop.Evaluation evaluate() {
        return new EpochLoop.Evaluation(
            Scores.of(net.output(false, valInputs)[0], valRows, valLabels),
            Scores.of(net.output(false, testInputs)[0], testRows, testLabels));
      }
    }, listener);
  }

  /**
   * The GIN graph classifier these runs train (also built by data-parallel training, so both train
   * the same network). The loss sums over a batch's graphs, so the weight decay is scaled by the
   * batch size.
   */
  public static ComputationGraphConfiguration network(TrainingOptions o, int featureDim, int classes,
      boolean signedFeatures) {
    GinModels.Options g = new GinModels.Options();
    g.layers = o.layers;
    g.hidden = o.hidden;
    g.dropout = o.dropout;
    g.l2 = o.weightDecay * o.batchSize;
    g.mode = o.mode();
    g.bits = o.variant.layerBits();
    g.signedFeatures = signedFeatures;
    g.seed = o.seed;
    g.dataType = TYPE;
    return GinModels.graphClassifier(featureDim, classes, o.updater(), g);
  }

  public ComputationGraph network() {
    return net;
  }

  private int[] labels(int[] graphs) {
    int[] y = new int[graphs.length];
    for (int i = 0; i < graphs.length; i++) {
      y[i] = graphLabels[graphs[i]];
    }
    return y;
  }

}
