package io.dqspark.gnn;

import static io.dqspark.gnn.GatVertices.gat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dqspark.gnn.GatVertex.Activation;
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
 * Backward passes against finite differences: DL4J's {@code GradientCheckUtil} on networks of two
 * multi-head GAT vertices and an output layer (each activation once with concatenated and once
 * with averaged heads), and an independent central-difference check of one vertex's parameter and
 * input gradients, with both dropouts. TinyGraph's node 8 has no in-edges besides its self-loop.
 */
@ExtendWith(DoublePrecision.class)
class GatVertexGradientTest {
  private static final int CLASSES = 3;

  /** gat1 / gat2 pairs: every activation appears once with concat and once with mean heads. */
  private static final Activation[][] ACTIVATIONS = {
      {Activation.ELU, Activation.RELU}, {Activation.RELU, Activation.NONE}, {Activation.NONE, Activation.ELU}};

  @Test
  void dl4jGradientCheckFp32() {
    for (Activation[] acts : ACTIVATIONS) {
      assertTrue(checkNetwork(acts, QuantMode.FP32, false, Set.of()), acts[0] + " -> " + acts[1]);
    }
  }

  @Test
  void dl4jGradientCheckWithQuantizersPassingThrough() {
    Set<String> state = Set.of("gat1_" + GatVertexImpl.STATE_KEY, "gat2_" + GatVertexImpl.STATE_KEY);
    for (Activation[] acts : ACTIVATIONS) {
      assertTrue(checkNetwork(acts, QuantMode.QAT, true, state), "QAT pass-through " + acts[0] + " -> " + acts[1]);
      assertTrue(checkNetwork(acts, QuantMode.DQ, true, state), "DQ pass-through " + acts[0] + " -> " + acts[1]);
    }
  }

  /** gat1: 2 heads of 3, concatenated; gat2: 3 heads of 4, averaged. */
  private static boolean checkNetwork(Activation[] acts, QuantMode mode, boolean passThrough, Set<String> exclude) {
    GatVertex gat1 = gat(TinyGraph.F, 3, 2, true, acts[0], new NoOp());
    GatVertex gat2 = gat(6, 4, 3, false, acts[1], new NoOp());
    ComputationGraph net = new ComputationGraph(GatVertices.twoLayerNet(gat1, gat2, CLASSES, new NoOp(),
        mode, 8, passThrough, DataType.DOUBLE));
    net.init();
    for (String key : new String[] {"gat1_" + GatVertexImpl.BIAS_KEY, "gat2_" + GatVertexImpl.BIAS_KEY}) {
      INDArray b = net.paramTable().get(key);
      b.assign(Nd4j.rand(DataType.DOUBLE, b.shape()).subi(0.5).muli(0.2)); // kinks away from 0
    }
    return GradientChecks.nodeClassifier(net, CLASSES, exclude);
  }

  @Test
  void vertexGradientsMatchCentralDifferences() {
    checkVertex(3, 2, true, Activation.ELU, 0.3, 0.4);
    checkVertex(2, 3, false, Activation.RELU, 0.0, 0.0);
    checkVertex(1, 3, true, Activation.NONE, 0.0, 0.0);
    checkVertex(2, 2, false, Activation.NONE, 0.5, 0.5);
    checkVertex(2, 2, false, Activation.ELU, 0.0, 0.0);
    checkVertex(3, 2, true, Activation.RELU, 0.0, 0.3);
  }

  /** L = sum(R * Y) for a fixed random R, so dL/dY = R; both dropouts reseeded before every forward. */
  private static void checkVertex(int heads, int f, boolean concat, Activation act, double dropout,
      double attentionDropout) {
    String what = heads + " x " + f + (concat ? " concat " : " mean ") + act + " dropout=" + dropout
        + " attentionDropout=" + attentionDropout;
    TinyGraph g = new TinyGraph(21);
    GatVertex conf = gat(TinyGraph.F, f, heads, concat, act, new NoOp());
    conf.setDropout(dropout);
    conf.setAttentionDropout(attentionDropout);
    Vertices<GatVertexImpl> v = Vertices.of(conf, DataType.DOUBLE);
    INDArray bias = v.param(GatVertexImpl.BIAS_KEY);
    bias.assign(Nd4j.rand(DataType.DOUBLE, bias.shape()).subi(0.5));
    INDArray[] in = g.inputs(DataType.DOUBLE);
    INDArray x = in[GraphInputs.FEATURES].dup();
    int width = concat ? heads * f : f;
    INDArray weightOfY = Nd4j.rand(DataType.DOUBLE, TinyGraph.N, width).subi(0.5);

    loss(v, in, x, weightOfY);
    v.vertex.setEpsilon(weightOfY);
    Pair<Gradient, INDArray[]> back = v.vertex.doBackward(false, LayerWorkspaceMgr.noWorkspaces());
    INDArray paramGrad = v.gradients.dup();
    INDArray inputGrad = back.getSecond()[0].dup();
    assertEquals(0.0, back.getSecond()[1].sumNumber().doubleValue(), what);
    assertEquals(0.0, back.getSecond()[2].sumNumber().doubleValue(), what);
    assertNull(back.getSecond()[3], what);

    long trainable = GatVertexImpl.trainableParams(TinyGraph.F, f, heads, concat);
    long attentionStart = (long) TinyGraph.F * heads * f;
    double[] numeric = GradientChecks.check(v.params, trainable, paramGrad,
        () -> loss(v, in, x, weightOfY), what + " param");
    double attentionGrad = 0;
    for (long i = attentionStart; i < attentionStart + 2L * heads * f; i++) {
      attentionGrad += Math.abs(numeric[(int) i]);
    }
    assertTrue(attentionGrad > 1e-3, what + ": the attention vectors matter");
    for (long i = 0; i < GatVertexImpl.STATE_LENGTH; i++) {
      assertEquals(0.0, paramGrad.getDouble(trainable + i), what + " FP32 state gradient");
    }
    GradientChecks.check(x, x.length(), inputGrad, () -> loss(v, in, x, weightOfY), what + " input");
  }

  private static double loss(Vertices<GatVertexImpl> v, INDArray[] in, INDArray x, INDArray weightOfY) {
    Nd4j.getRandom().setSeed(99);
    v.setInputs(in, x);
    INDArray y = v.vertex.doForward(true, LayerWorkspaceMgr.noWorkspaces());
    return y.mul(weightOfY).sumNumber().doubleValue();
  }
}
