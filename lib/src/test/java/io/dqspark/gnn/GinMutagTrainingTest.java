package io.dqspark.gnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dqspark.graph.GraphDataset;
import io.dqspark.stats.DegreeStats;
import io.dqspark.stats.ProtectionRule;
import io.dqspark.train.CrossValidationFolds;
import io.dqspark.train.Fold;
import java.util.Random;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.junit.jupiter.api.Tag;

/**
 * Sanity check against published numbers: GIN on MUTAG reaches about 85-90% in the literature
 * (10-fold cross-validation, BatchNorm, hundreds of epochs). Here one stratified fold, 50 epochs of
 * batches of 32 with Adam 0.01 and sum pooling (the GIN paper's readout for bioinformatics data),
 * must reach 75% on the fold's 19 test graphs (the majority class alone is 66%). Then a short
 * Degree-Quant INT8 run checks that per-graph protection probabilities and the head's quantizer
 * state flow through {@code fit}.
 *
 * <p>One fold of 19 graphs is a noisy measure (one graph is 5.3 points). Measured here over the ten
 * folds of split seed 1 at 50 epochs: sum pooling 0.68-0.89 (mean 0.82), mean pooling 0.68-0.84
 * (mean 0.77); fold 0 is the hardest in every setting tried. This test runs fold 1 (0.84 measured
 * with sum pooling), so it guards against breakage rather than reproducing the literature. Runs are
 * deterministic (seeded network, batches and folds).
 */
@Tag("integration")
class GinMutagTrainingTest {
  private static final int EPOCHS = 50;
  private static final int BATCH = 32;
  private static final long SEED = 1;

  @Test
  void ginGraphClassifierLearnsMutag() {
    GraphDataset mutag = Mutag.load();
    Fold fold = CrossValidationFolds.stratified(mutag.graphs().labels(), 10, SEED).get(1);
    GraphBatch batches = GraphBatch.of(mutag, null);
    ComputationGraph net = newNet(mutag, QuantMode.FP32, PoolVertex.Pooling.SUM);
    long begin = System.nanoTime();
    train(net, batches, fold.train(), EPOCHS);
    double seconds = (System.nanoTime() - begin) / 1e9;
    double test = accuracy(net, batches, fold.test());
    double validation = accuracy(net, batches, fold.validation());
    System.out.printf("MUTAG GIN FP32: %d epochs in %.1f s, validation %.3f, test %.3f (%d graphs)%n",
        EPOCHS, seconds, validation, test, fold.test().length);
    assertTrue(test >= 0.75, "test accuracy " + test);
  }

  @Test
  void degreeQuantInt8TrainsWithPerGraphMaskProbabilities() {
    GraphDataset mutag = Mutag.load();
    double[] p = DegreeStats.compute(mutag, new ProtectionRule(0.0, 0.1), true).maskProb();
    GraphBatch batches = GraphBatch.of(mutag, p);
    ComputationGraph net = newNet(mutag, QuantMode.DQ, PoolVertex.Pooling.MEAN);
    int[] graphs = IntStream.range(0, 64).toArray();
    train(net, batches, graphs, 1);
    INDArray q = net.paramTable().get(GinModels.LIN1 + "_" + QuantDenseVertexImpl.STATE_KEY);
    assertEquals(2.0, q.getDouble(0), "two steps");
    INDArray out = net.output(false, batches.inputs(new int[] {100, 101, 102}, DataType.FLOAT))[0];
    assertEquals(3, out.size(0));
    assertEquals(3.0, out.sumNumber().doubleValue(), 1e-4, "softmax rows");
  }

  private static ComputationGraph newNet(GraphDataset d, QuantMode mode, PoolVertex.Pooling pooling) {
    GinModels.Options o = new GinModels.Options();
    o.mode = mode;
    o.pooling = pooling;
    o.signedFeatures = false; // one-hot atom types
    o.seed = SEED;
    ComputationGraph net = new ComputationGraph(GinModels.graphClassifier(d.featureDim(), d.numClasses(),
        new Adam(0.01), o));
    net.init();
    return net;
  }

  private static void train(ComputationGraph net, GraphBatch batches, int[] graphs, int epochs) {
    Random random = new Random(SEED);
    for (int epoch = 0; epoch < epochs; epoch++) {
      for (int[] batch : GraphBatch.miniBatches(graphs, BATCH, random)) {
        net.fit(batches.example(batch, DataType.FLOAT));
      }
    }
  }

  private static double accuracy(ComputationGraph net, GraphBatch batches, int[] graphs) {
    INDArray predicted = net.output(false, batches.inputs(graphs, DataType.FLOAT))[0].argMax(1);
    int correct = 0;
    for (int i = 0; i < graphs.length; i++) {
      correct += predicted.getInt(i) == batches.dataset().graphs().label(graphs[i]) ? 1 : 0;
    }
    return (double) correct / graphs.length;
  }
}
