package io.dqspark.gnn;

import io.dqspark.loaders.TestData;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dqspark.graph.EdgeRules;
import io.dqspark.graph.GraphDataset;
import io.dqspark.graph.Split;
import io.dqspark.loaders.PlanetoidLoader;
import io.dqspark.stats.DegreeStats;
import io.dqspark.stats.ProtectionRule;
import io.dqspark.util.HadoopFiles;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.junit.jupiter.api.Tag;

/**
 * Sanity check against a published number: Kipf &amp; Welling's two-layer GCN (hidden 16, dropout
 * 0.5, Adam lr 0.01, L2 5e-4 on the first layer, row-normalised features) reaches 81.5% test
 * accuracy on Cora's public split; one seed and 100 epochs here must reach 78%. The FP32
 * parameters then warm-start plain QAT INT8, and Degree-Quant INT8 (protection probabilities from
 * the in-degree CDF, p in [0, 0.1]) trains from scratch; both must stay close.
 */
@Tag("integration")
class GcnCoraTrainingTest {
  private static final int EPOCHS = 100;
  private static final int QAT_EPOCHS = 20;
  /**
   * The paper reports 81.7% for GCN INT8 DQ on Cora; 76.2% was seen here (one seed, 100 epochs,
   * no warm start), so this bar catches breakage rather than reproducing the paper.
   */
  private static final double DQ_INT8_MIN = 0.72;

  @Test
  void twoLayerGcnLearnsCoraAndWarmStartsQat() {
    ComputationGraph fp32 = train(QuantMode.FP32, 8, null, null, EPOCHS);
    double accuracy = testAccuracy(fp32, null);
    assertTrue(accuracy >= 0.78, "FP32 test accuracy " + accuracy);

    // Every mode has the same parameter layout, so the FP32 parameters warm-start QAT as they are.
    // (QAT from a random start collapses here: its moving-average ranges lag far behind the
    // growing activations in 100 steps, so almost everything clips; 15.8% was seen.)
    ComputationGraph qat = train(QuantMode.QAT, 8, null, fp32.params(), QAT_EPOCHS);
    double qatAccuracy = testAccuracy(qat, null);
    assertTrue(qatAccuracy >= 0.75, "QAT int8 test accuracy " + qatAccuracy);
  }

  @Test
  void degreeQuantInt8LearnsCoraFromScratch() {
    double[] maskProb = DegreeStats.compute(cora(), new ProtectionRule(0.0, 0.1), false).maskProb();
    ComputationGraph net = train(QuantMode.DQ, 8, maskProb, null, EPOCHS);
    double accuracy = testAccuracy(net, maskProb);
    assertTrue(accuracy >= DQ_INT8_MIN, "DQ int8 test accuracy " + accuracy);
  }

  /** Trains on the public split, from {@code start} parameters when given. */
  private static ComputationGraph train(QuantMode mode, int bits, double[] maskProb, INDArray start,
      int epochs) {
    GraphDataset cora = cora();
    DataType type = DataType.FLOAT;
    INDArray[] inputs = GraphInputs.nodeLevel(cora, maskProb, true, type);
    int[] train = GraphInputs.rows(cora, Split.TRAIN);
    assertEquals(140, train.length);
    MultiDataSet example = GraphInputs.example(inputs, GraphInputs.oneHotLabels(cora, type),
        GraphInputs.labelMask(cora, Split.TRAIN, type));

    GcnModels.Options o = new GcnModels.Options();
    o.hidden = 16;
    o.dropout = 0.5;
    o.l2 = 5e-4 * train.length; // the loss is a sum over the labelled nodes, not a mean
    o.seed = 42;
    o.mode = mode;
    o.bits = bits;
    o.signedFeatures = false; // row-normalised bag of words
    ComputationGraph net = new ComputationGraph(
        GcnModels.nodeClassifier(cora.featureDim(), cora.numClasses(), new Adam(0.01), o));
    if (start == null) {
      net.init();
    } else {
      net.init(start.dup(), false);
    }
    long begin = System.nanoTime();
    for (int epoch = 0; epoch < epochs; epoch++) {
      net.fit(example);
    }
    System.out.printf("Cora GCN %s%s%s: %d epochs in %.1f s%n", mode,
        mode == QuantMode.FP32 ? "" : " int" + bits, start == null ? "" : " (warm start)", epochs,
        (System.nanoTime() - begin) / 1e9);
    return net;
  }

  private static double testAccuracy(ComputationGraph net, double[] maskProb) {
    GraphDataset cora = cora();
    INDArray[] inputs = GraphInputs.nodeLevel(cora, maskProb, true, DataType.FLOAT);
    double accuracy = accuracy(net.output(false, inputs)[0], cora, Split.TEST);
    System.out.printf("  test accuracy %.4f%n", accuracy);
    return accuracy;
  }

  private static GraphDataset cora() {
    return PlanetoidLoader.load(HadoopFiles.withDefaults(), TestData.repoData("planetoid/cora").toString(), "cora",
        EdgeRules.Options.DEFAULT);
  }

  private static double accuracy(INDArray probabilities, GraphDataset d, Split split) {
    int[] rows = GraphInputs.rows(d, split);
    INDArray predicted = probabilities.argMax(1);
    int correct = 0;
    for (int r : rows) {
      correct += predicted.getInt(r) == d.vertices().label(r) ? 1 : 0;
    }
    return (double) correct / rows.length;
  }
}
