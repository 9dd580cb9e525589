package io.dqspark.gnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * Backward passes against finite differences: DL4J's {@code GradientCheckUtil} on a two-layer GCN
 * network, and an independent central-difference check of one vertex's parameter and input
 * gradients.
 */
@ExtendWith(DoublePrecision.class)
class GcnVertexGradientTest {
  private static final int CLASSES = 3;
  @Test
  void dl4jGradientCheckFp32() {
    assertTrue(checkNetwork(QuantMode.FP32, false, Set.of()));
  }

  @Test
  void dl4jGradientCheckWithQuantizersPassingThrough() {
    Set<String> state = Set.of("gcn1_" + GcnVertexImpl.STATE_KEY, "gcn2_" + GcnVertexImpl.STATE_KEY);
    assertTrue(checkNetwork(QuantMode.QAT, true, state), "QAT pass-through");
    assertTrue(checkNetwork(QuantMode.DQ, true, state), "DQ pass-through");
  }

  private static boolean checkNetwork(QuantMode mode, boolean passThrough, Set<String> exclude) {
    GcnModels.Options o = new GcnModels.Options();
    o.hidden = 5;
    o.dropout = 0;
    o.l2 = 0;
    o.mode = mode;
    o.passThrough = passThrough;
    o.dataType = DataType.DOUBLE;
    ComputationGraph net = new ComputationGraph(
        GcnModels.nodeClassifier(TinyGraph.F, CLASSES, new NoOp(), o));
    net.init();
    return GradientChecks.nodeClassifier(net, CLASSES, exclude);
  }

  @Test
  void vertexGradientsMatchCentralDifferences() {
    for (boolean relu : new boolean[] {false, true}) {
      for (double dropout : new double[] {0.0, 0.5}) {
        checkVertex(relu, dropout);
      }
    }
  }

  /** L = sum(R * Y) for a fixed random R, so dL/dY = R; dropout reseeded before every forward. */
  private static void checkVertex(boolean relu, double dropout) {
    String what = "relu=" + relu + " dropout=" + dropout;
    TinyGraph g = new TinyGraph(21);
    Vertices<GcnVertexImpl> v = Vertices.of(new GcnVertex(TinyGraph.F, 3, relu, dropout, new NoOp()), DataType.DOUBLE);
    INDArray bias = v.vertex.paramTable(false).get(GcnVertexImpl.BIAS_KEY);
    bias.assign(Nd4j.rand(DataType.DOUBLE, 1, 3).subi(0.5));
    INDArray[] in = g.inputs(DataType.DOUBLE);
    INDArray x = in[GraphInputs.FEATURES].dup();
    INDArray weightOfY = Nd4j.rand(DataType.DOUBLE, TinyGraph.N, 3).subi(0.5);

    loss(v, in, x, weightOfY);
    v.vertex.setEpsilon(weightOfY);
    Pair<Gradient, INDArray[]> back = v.vertex.doBackward(false, LayerWorkspaceMgr.noWorkspaces());
    INDArray paramGrad = v.gradients.dup();
    INDArray inputGrad = back.getSecond()[0].dup();
    assertEquals(0.0, back.getSecond()[1].sumNumber().doubleValue(), what);
    assertEquals(0.0, back.getSecond()[2].sumNumber().doubleValue(), what);
    assertNull(back.getSecond()[3], what);

    long trainable = (long) TinyGraph.F * 3 + 3;
    INDArray p = v.params;
    GradientChecks.check(p, trainable, paramGrad, () -> loss(v, in, x, weightOfY), what + " param");
    for (long i = 0; i < GcnVertexImpl.STATE_LENGTH; i++) {
      assertEquals(0.0, paramGrad.getDouble(trainable + i), what + " FP32 state gradient");
    }
    GradientChecks.check(x, x.length(), inputGrad, () -> loss(v, in, x, weightOfY), what + " input");
  }

  private static double loss(Vertices<GcnVertexImpl> v, INDArray[] in, INDArray x, INDArray weightOfY) {
    Nd4j.getRandom().setSeed(99);
    v.setInputs(in, x);
    INDArray y = v.vertex.doForward(true, LayerWorkspaceMgr.noWorkspaces());
    return y.mul(weightOfY).sumNumber().doubleValue();
  }
}
