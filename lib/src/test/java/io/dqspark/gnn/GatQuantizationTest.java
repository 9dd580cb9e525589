package io.dqspark.gnn;

import static io.dqspark.gnn.GatVertices.gat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dqspark.gnn.GatVertex.Activation;
import io.dqspark.quant.FakeQuantizer;
import io.dqspark.quant.QuantParams;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * Quantized GAT forward passes: the output grid at evaluation (every node quantized), DQ's
 * protected rows in training, and quantizer ranges that travel with the parameters.
 */
class GatQuantizationTest {
  private static final LayerWorkspaceMgr NO_WS = LayerWorkspaceMgr.noWorkspaces();

  /**
   * For NONE and RELU the outputs lie on the output grid; for ELU (quantized before the
   * activation) the ELU's inverse of the outputs does.
   */
  @Test
  void evalOutputsLieOnTheOutputGrid() {
    for (QuantMode mode : new QuantMode[] {QuantMode.QAT, QuantMode.DQ}) {
      for (int bits : new int[] {8, 4}) {
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
          for (Activation act : Activation.values()) {
            boolean concat = bits == 8;
            String what = mode + " int" + bits + " " + type + " " + act + " concat=" + concat;
            TinyGraph g = new TinyGraph(31);
            Vertices<GatVertexImpl> v = Vertices.of(gat(TinyGraph.F, 3, 2, concat, act, new NoOp())
                .quantization(mode, bits), type);
            INDArray[] in = g.inputs(type);
            for (int step = 0; step < 3; step++) {
              v.trainStep(in, in[GraphInputs.FEATURES]);
            }
            assertEquals(3.0, v.param(GatVertexImpl.STATE_KEY).getDouble(0), what + ": step counter");
            for (GatPoint point : GatPoint.values()) {
              assertTrue(v.vertex.quantPoint(point).initialised(), what + ": " + point + " has a range");
            }
            v.setInputs(in, in[GraphInputs.FEATURES]);
            INDArray y = v.vertex.doForward(false, NO_WS);
            QuantParams p = v.vertex.quantPoint(GatPoint.OUTPUT).params();
            assertEquals(act != Activation.RELU, p.signed(), what + ": output signed unless RELU");
            assertTrue(y.maxNumber().doubleValue() > 0, what + ": not all zero");
            double[] values = NdArrays.toDouble(y);
            if (act != Activation.ELU) {
              QuantGrid.assertOnGrid(p, values, what);
              continue;
            }
            double tol = type == DataType.DOUBLE ? 1e-9 : 0.01 * p.scale();
            for (double value : values) {
              double pre = value > 0 ? value : Math.log1p(value);
              assertEquals(FakeQuantizer.fakeQuantize(p, (float) pre), pre, tol, what + ": elu^-1(" + value + ")");
            }
          }
        }
      }
    }
  }

  /** Nodes protected in training are quantized like every other node at evaluation. */
  @Test
  void evaluationQuantizesEveryNode() {
    TinyGraph g = new TinyGraph(37);
    Vertices<GatVertexImpl> v = Vertices.of(gat(TinyGraph.F, 3, 2, true, Activation.NONE, new NoOp())
        .quantization(QuantMode.DQ, 4), DataType.DOUBLE);
    INDArray[] in = g.inputs(DataType.DOUBLE);
    in[GraphInputs.MASK_PROB].assign(0);
    for (int step = 0; step < 2; step++) {
      v.trainStep(in, in[GraphInputs.FEATURES]);
    }
    in[GraphInputs.MASK_PROB].assign(1);
    double[][] trained = Vertices.rows(v.trainStep(in, in[GraphInputs.FEATURES]));
    QuantParams p = v.vertex.quantPoint(GatPoint.OUTPUT).params();
    boolean[] all = new boolean[TinyGraph.N];
    Arrays.fill(all, true);
    QuantGrid.assertOnlyProtectedRowsOffGrid(p, trained, all);

    v.setInputs(in, in[GraphInputs.FEATURES]);
    QuantGrid.assertOnGrid(p, NdArrays.toDouble(v.vertex.doForward(false, NO_WS)), "evaluation");
  }

  /**
   * With every node protected only W and the attention vectors are quantized (they belong to no
   * node): the output equals the dense reference with those two fake-quantized.
   */
  @Test
  void dqProtectsEveryRowWhenMaskProbIsOne() {
    TinyGraph g = new TinyGraph(41);
    Arrays.fill(g.maskProb, 1.0);
    Vertices<GatVertexImpl> v = Vertices.of(gat(TinyGraph.F, 3, 2, true, Activation.ELU, new NoOp())
        .quantization(QuantMode.DQ, 4), DataType.DOUBLE);
    INDArray bias = v.param(GatVertexImpl.BIAS_KEY);
    bias.assign(Nd4j.rand(DataType.DOUBLE, bias.shape()).subi(0.5));
    INDArray[] in = g.inputs(DataType.DOUBLE);
    double[][] got = Vertices.rows(v.trainStep(in, in[GraphInputs.FEATURES]));

    for (GatPoint p : GatPoint.values()) {
      boolean nodeFree = p == GatPoint.WEIGHT || p == GatPoint.ATTENTION;
      assertEquals(nodeFree, v.vertex.quantPoint(p).initialised(), p + " range");
    }
    double[][] w = fq(v, GatPoint.WEIGHT, Vertices.rows(v.param(GatVertexImpl.WEIGHT_KEY)));
    double[][] aSrc = fq(v, GatPoint.ATTENTION, Vertices.rows(v.param(GatVertexImpl.ATT_SRC_KEY)));
    double[][] aDst = fq(v, GatPoint.ATTENTION, Vertices.rows(v.param(GatVertexImpl.ATT_DST_KEY)));
    double[][] want = GatVertices.dense(Vertices.rows(in[GraphInputs.FEATURES]), w, aSrc, aDst,
        Vertices.rows(bias)[0], true, Activation.ELU, g.src, g.dst);
    for (int i = 0; i < TinyGraph.N; i++) {
      for (int k = 0; k < 6; k++) {
        assertEquals(want[i][k], got[i][k], 1e-9, "node " + i + " col " + k);
      }
    }
  }

  @Test
  void dqLeavesProtectedRowsUnquantizedInTraining() {
    for (Activation act : new Activation[] {Activation.NONE, Activation.RELU}) {
      Vertices<GatVertexImpl> v = Vertices.of(gat(TinyGraph.F, 3, 2, false, act, new NoOp())
          .quantization(QuantMode.DQ, 4), DataType.DOUBLE);
      v.param(GatVertexImpl.BIAS_KEY).assign(0.3); // ReLU keeps most outputs
      QuantGrid.assertProtectedRowsSkipQuantization(v, GatPoint.OUTPUT);
    }
  }

  @Test
  void evaluationBeforeAnyRangeIsAnError() {
    TinyGraph g = new TinyGraph(61);
    Vertices<GatVertexImpl> v = Vertices.of(gat(TinyGraph.F, 3, 2, true, Activation.NONE, new NoOp())
        .quantization(QuantMode.QAT, 8), DataType.FLOAT);
    INDArray[] in = g.inputs(DataType.FLOAT);
    v.setInputs(in, in[GraphInputs.FEATURES]);
    assertThrows(IllegalStateException.class, () -> v.vertex.doForward(false, NO_WS));
  }

  /** A fresh vertex given the trained parameters (state q included) quantizes identically. */
  @Test
  void rangesSurviveCopyingTheParameters() {
    for (QuantMode mode : new QuantMode[] {QuantMode.QAT, QuantMode.DQ}) {
      TinyGraph g = new TinyGraph(67);
      GatVertex conf = gat(TinyGraph.F, 3, 2, true, Activation.ELU, new NoOp()).quantization(mode, 4);
      Vertices<GatVertexImpl> a = Vertices.of(conf, DataType.FLOAT);
      INDArray[] in = g.inputs(DataType.FLOAT);
      for (int step = 0; step < 3; step++) {
        a.trainStep(in, in[GraphInputs.FEATURES]);
      }
      Vertices<GatVertexImpl> b = Vertices.of(conf.clone(), DataType.FLOAT);
      b.params.assign(a.params);
      a.setInputs(in, in[GraphInputs.FEATURES]);
      b.setInputs(in, in[GraphInputs.FEATURES]);
      double[] ya = NdArrays.toDouble(a.vertex.doForward(false, NO_WS));
      double[] yb = NdArrays.toDouble(b.vertex.doForward(false, NO_WS));
      assertArrayEquals(ya, yb, 0.0, mode + " outputs");
      for (GatPoint p : GatPoint.values()) {
        assertEquals(a.vertex.quantPoint(p).params(), b.vertex.quantPoint(p).params(), mode + " " + p);
      }
    }
  }

  /** The state travels through DL4J's updater in fit and through ModelSerializer's save and restore. */
  @Test
  void networkFitStoresRangesThatSurviveSaveAndRestore() throws IOException {
    GatVertex gat1 = gat(TinyGraph.F, 3, 2, true, Activation.ELU, new Sgd(0.05));
    gat1.setDropout(0.2);
    gat1.setAttentionDropout(0.2);
    GatVertex gat2 = gat(6, 3, 2, false, Activation.NONE, new Sgd(0.05));
    ComputationGraph net = new ComputationGraph(GatVertices.twoLayerNet(gat1, gat2, 3, new Sgd(0.05),
        QuantMode.DQ, 8, false, DataType.FLOAT));
    net.init();
    TinyGraph g = new TinyGraph(71);
    INDArray[] in = g.inputs(DataType.FLOAT);
    INDArray labels = Nd4j.zeros(DataType.FLOAT, TinyGraph.N, 3);
    Random r = new Random(3);
    for (int i = 0; i < TinyGraph.N; i++) {
      labels.putScalar(i, r.nextInt(3), 1.0);
    }
    INDArray attBefore = net.paramTable().get("gat1_" + GatVertexImpl.ATT_SRC_KEY).dup();
    INDArray mask = Nd4j.ones(DataType.FLOAT, TinyGraph.N, 1);
    for (int step = 0; step < 4; step++) {
      net.fit(GraphInputs.example(in, labels, mask));
    }
    assertFalse(attBefore.equals(net.paramTable().get("gat1_" + GatVertexImpl.ATT_SRC_KEY)), "aSrc trained");
    for (String layer : new String[] {"gat1", "gat2"}) {
      INDArray q = net.paramTable().get(layer + "_" + GatVertexImpl.STATE_KEY);
      assertEquals(4.0, q.getDouble(0), layer + " step counter");
      int att = 1 + 3 * GatPoint.ATTENTION.ordinal();
      assertEquals(4.0, q.getDouble(att), layer + " attention range batches");
      assertTrue(q.getDouble(att + 1) < 0 && q.getDouble(att + 2) > 0, layer + " attention range");
    }
    INDArray out = net.output(false, in)[0];
    assertEquals(TinyGraph.N, out.sum(1).sumNumber().doubleValue(), 1e-4, "softmax rows");

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ModelSerializer.writeModel(net, bytes, true);
    ComputationGraph restored = ModelSerializer.restoreComputationGraph(
        new ByteArrayInputStream(bytes.toByteArray()), true);
    for (String layer : new String[] {"gat1", "gat2"}) {
      String key = layer + "_" + GatVertexImpl.STATE_KEY;
      assertEquals(net.paramTable().get(key), restored.paramTable().get(key), key);
    }
    assertArrayEquals(NdArrays.toDouble(out), NdArrays.toDouble(restored.output(false, in)[0]), 0.0,
        "restored network's quantized outputs");
  }

  /** Fake-quantizes {@code a} in place with point {@code p}'s current parameters; returns it. */
  private static double[][] fq(Vertices<GatVertexImpl> v, GatPoint p, double[][] a) {
    QuantParams params = v.vertex.quantPoint(p).params();
    for (double[] row : a) {
      for (int k = 0; k < row.length; k++) {
        row[k] = FakeQuantizer.fakeQuantize(params, (float) row[k]);
      }
    }
    return a;
  }
}
