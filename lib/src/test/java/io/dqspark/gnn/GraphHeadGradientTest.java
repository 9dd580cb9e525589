package io.dqspark.gnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * Backward passes of the graph-level head against finite differences: DL4J's {@code
 * GradientCheckUtil} on dense -> pool -> dense -> output (so the pool's backward feeds the first
 * dense layer's parameters), on a whole {@link GinModels#graphClassifier} over a packed MUTAG
 * batch, and an independent central-difference check of one {@link QuantDenseVertex}.
 */
@ExtendWith(DoublePrecision.class)
class GraphHeadGradientTest {
  private static final int F = 4;
  private static final int HIDDEN = 5;
  private static final int CLASSES = 3;
  /** Eight rows in three graphs, not sorted by graph. */
  private static final int[] GRAPH_OF = {0, 2, 1, 0, 2, 2, 1, 0};

  @BeforeEach
  void seed() {
    Nd4j.getRandom().setSeed(20240611);
  }

  @Test
  void dl4jGradientCheckOfPoolNetFp32() {
    for (PoolVertex.Pooling pooling : PoolVertex.Pooling.values()) {
      assertTrue(checkPoolNet(pooling, QuantMode.FP32, false), pooling.toString());
    }
  }

  @Test
  void dl4jGradientCheckOfPoolNetWithQuantizersPassingThrough() {
    assertTrue(checkPoolNet(PoolVertex.Pooling.MEAN, QuantMode.QAT, true), "QAT pass-through");
    assertTrue(checkPoolNet(PoolVertex.Pooling.SUM, QuantMode.DQ, true), "DQ pass-through");
  }

  private static boolean checkPoolNet(PoolVertex.Pooling pooling, QuantMode mode, boolean passThrough) {
    ComputationGraph net = new ComputationGraph(GraphHeads.poolNet(F, HIDDEN, CLASSES, pooling,
        new NoOp(), mode, 8, passThrough, DataType.DOUBLE));
    net.init();
    INDArray x = Nd4j.rand(DataType.DOUBLE, GRAPH_OF.length, F).subi(0.5);
    INDArray nodeGraph = GraphHeads.positions(DataType.DOUBLE, GRAPH_OF);
    return GradientChecks.dl4j(net, new INDArray[] {x, nodeGraph}, oneHot(3, CLASSES, 11), null,
        Set.of("dense1_" + QuantDenseVertexImpl.STATE_KEY, "dense2_" + QuantDenseVertexImpl.STATE_KEY));
  }

  @Test
  void dl4jGradientCheckOfTheGinGraphClassifier() {
    for (QuantMode mode : new QuantMode[] {QuantMode.FP32, QuantMode.DQ}) {
      GinModels.Options o = new GinModels.Options();
      o.layers = 2;
      o.hidden = HIDDEN;
      o.dropout = 0; // DL4J's gradient check refuses dropout
      o.mode = mode;
      o.passThrough = mode != QuantMode.FP32;
      o.signedFeatures = false;
      o.dataType = DataType.DOUBLE;
      GraphBatch batch = GraphBatch.of(Mutag.load(), null);
      ComputationGraph net = new ComputationGraph(GinModels.graphClassifier(Mutag.load().featureDim(),
          2, new NoOp(), o));
      net.init();
      Set<String> state = new HashSet<>();
      for (int layer = 0; layer < o.layers; layer++) {
        String gin = GinModels.ginName(layer);
        state.add(gin + "_" + GinVertexImpl.STATE_KEY);
        net.paramTable().get(gin + "_" + GinVertexImpl.EPS_KEY).assign(0.1 * (layer + 1));
      }
      state.add(GinModels.LIN1 + "_" + QuantDenseVertexImpl.STATE_KEY);
      int[] graphs = {3, 40, 7};
      boolean ok = GradientChecks.dl4j(net, batch.inputs(graphs, DataType.DOUBLE),
          batch.labels(graphs, DataType.DOUBLE), null, state);
      assertTrue(ok, mode.toString());
    }
  }

  @Test
  void denseVertexGradientsMatchCentralDifferences() {
    for (boolean relu : new boolean[] {false, true}) {
      String what = "relu=" + relu;
      GraphHeads.Dense v = new GraphHeads.Dense(new QuantDenseVertex(F, 3, relu, 0, new NoOp()),
          DataType.DOUBLE);
      INDArray x = Nd4j.rand(DataType.DOUBLE, 6, F).subi(0.5);
      INDArray r = Nd4j.rand(DataType.DOUBLE, 6, 3).subi(0.5);
      v.forward(x, true);
      INDArray inputGrad = v.backward(r).dup();
      INDArray paramGrad = v.gradients.dup();
      long trainable = QuantDenseVertexImpl.trainableParams(F, 3);
      GradientChecks.check(v.params, trainable, paramGrad, () -> loss(v, x, r), what + " param");
      for (long i = 0; i < QuantDenseVertexImpl.STATE_LENGTH; i++) {
        assertEquals(0.0, paramGrad.getDouble(trainable + i), what + " FP32 state gradient");
      }
      GradientChecks.check(x, x.length(), inputGrad, () -> loss(v, x, r), what + " input");
    }
  }

  /** L = sum(R * Y), so dL/dY = R. */
  private static double loss(GraphHeads.Dense v, INDArray x, INDArray r) {
    return v.forward(x, true).mul(r).sumNumber().doubleValue();
  }

  private static INDArray oneHot(int rows, int classes, long seed) {
    Random random = new Random(seed);
    INDArray y = Nd4j.zeros(DataType.DOUBLE, rows, classes);
    for (int i = 0; i < rows; i++) {
      y.putScalar(i, random.nextInt(classes), 1.0);
    }
    return y;
  }
}
