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
 * Backward passes against finite differences: DL4J's {@code GradientCheckUtil} on a network of two
 * GIN vertices and an output layer, and an independent central-difference check of one vertex's
 * parameter (including {@code eps}) and input gradients.
 */
@ExtendWith(DoublePrecision.class)
class GinVertexGradientTest {
  private static final int CLASSES = 3;
  private static final int HIDDEN = 5;
  @Test
  void dl4jGradientCheckFp32() {
    assertTrue(checkNetwork(QuantMode.FP32, false, Set.of()));
  }

  @Test
  void dl4jGradientCheckWithQuantizersPassingThrough() {
    Set<String> state = Set.of("gin1_" + GinVertexImpl.STATE_KEY, "gin2_" + GinVertexImpl.STATE_KEY);
    assertTrue(checkNetwork(QuantMode.QAT, true, state), "QAT pass-through");
    assertTrue(checkNetwork(QuantMode.DQ, true, state), "DQ pass-through");
  }

  private static boolean checkNetwork(QuantMode mode, boolean passThrough, Set<String> exclude) {
    ComputationGraph net = new ComputationGraph(GinVertices.twoLayerNet(TinyGraph.F, HIDDEN, CLASSES,
        new NoOp(), mode, 8, passThrough, DataType.DOUBLE));
    net.init();
    // a nonzero eps, so that its gradient and the self term's scale are both exercised
    net.paramTable().get("gin1_" + GinVertexImpl.EPS_KEY).assign(0.3);
    net.paramTable().get("gin2_" + GinVertexImpl.EPS_KEY).assign(-0.2);
    assertEquals(0.3, net.params().getDouble(GinVertexImpl.trainableParams(TinyGraph.F, HIDDEN) - 1),
        "eps set in the network's parameters");
    return GradientChecks.nodeClassifier(net, CLASSES, exclude);
  }

  @Test
  void vertexGradientsMatchCentralDifferences() {
    for (boolean relu : new boolean[] {false, true}) {
      checkVertex(relu);
    }
  }

  /** L = sum(R * Y) for a fixed random R, so dL/dY = R. */
  private static void checkVertex(boolean relu) {
    String what = "outputRelu=" + relu;
    TinyGraph g = new TinyGraph(21);
    Vertices<GinVertexImpl> v = Vertices.of(new GinVertex(TinyGraph.F, 3, relu, new NoOp()), DataType.DOUBLE);
    v.param(GinVertexImpl.EPS_KEY).assign(0.25);
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

    long trainable = GinVertexImpl.trainableParams(TinyGraph.F, 3);
    INDArray p = v.params;
    assertEquals(0.25, p.getDouble(trainable - 1), "eps is the last trainable parameter");
    assertTrue(Math.abs(paramGrad.getDouble(trainable - 1)) > 1e-6, what + ": d/d eps is not zero");
    GradientChecks.check(p, trainable, paramGrad, () -> loss(v, in, x, weightOfY), what + " param");
    for (long i = 0; i < GinVertexImpl.STATE_LENGTH; i++) {
      assertEquals(0.0, paramGrad.getDouble(trainable + i), what + " FP32 state gradient");
    }
    GradientChecks.check(x, x.length(), inputGrad, () -> loss(v, in, x, weightOfY), what + " input");
  }

  private static double loss(Vertices<GinVertexImpl> v, INDArray[] in, INDArray x, INDArray weightOfY) {
    v.setInputs(in, x);
    INDArray y = v.vertex.doForward(true, LayerWorkspaceMgr.noWorkspaces());
    return y.mul(weightOfY).sumNumber().doubleValue();
  }
}
