package io.dqspark.gnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dqspark.quant.FakeQuantizer;
import io.dqspark.quant.QuantParams;
import java.util.Arrays;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.config.Sgd;

/** Quantized GIN forward passes: the output grid at evaluation, DQ's protected rows, state updates. */
class GinQuantizationTest {
  private static final LayerWorkspaceMgr NO_WS = LayerWorkspaceMgr.noWorkspaces();

  @Test
  void evalOutputsLieOnTheOutputGrid() {
    for (QuantMode mode : new QuantMode[] {QuantMode.QAT, QuantMode.DQ}) {
      for (int bits : new int[] {8, 4}) {
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
          for (boolean relu : new boolean[] {true, false}) {
            String what = mode + " int" + bits + " " + type + " relu=" + relu;
            TinyGraph g = new TinyGraph(31);
            Vertices<GinVertexImpl> v = Vertices.of(new GinVertex(TinyGraph.F, 6, relu, new NoOp())
                .quantization(mode, bits), type);
            INDArray[] in = g.inputs(type);
            for (int step = 0; step < 3; step++) {
              v.trainStep(in, in[GraphInputs.FEATURES]);
            }
            assertEquals(3.0, v.param(GinVertexImpl.STATE_KEY).getDouble(0), what + ": step counter");
            v.setInputs(in, in[GraphInputs.FEATURES]);
            INDArray y = v.vertex.doForward(false, NO_WS);
            QuantParams p = v.vertex.quantPoint(GinPoint.OUTPUT).params();
            assertEquals(!relu, p.signed(), what + ": output quantizer signed unless after ReLU");
            QuantGrid.assertOnGrid(p, NdArrays.toDouble(y), what);
            assertTrue(y.maxNumber().doubleValue() > 0, what + ": not all zero");
            for (GinPoint point : GinPoint.values()) {
              assertTrue(v.vertex.quantPoint(point).initialised(), what + ": " + point + " has a range");
            }
          }
        }
      }
    }
  }

  /**
   * With every node protected, messages, aggregation and output stay exact, while the MLP's
   * other points (which take no mask) still quantize: the output equals a dense reference with
   * only both linear layers' inputs and weights and the first one's output fake-quantized.
   */
  @Test
  void dqProtectsMessagesAggregationAndOutputWhenMaskProbIsOne() {
    TinyGraph g = new TinyGraph(41);
    Arrays.fill(g.maskProb, 1.0);
    int h = 5;
    Vertices<GinVertexImpl> v = Vertices.of(new GinVertex(TinyGraph.F, h, false, new NoOp())
        .quantization(QuantMode.DQ, 4), DataType.DOUBLE);
    v.param(GinVertexImpl.EPS_KEY).assign(0.3);
    INDArray[] in = g.inputs(DataType.DOUBLE);
    double[][] got = Vertices.rows(v.trainStep(in, in[GraphInputs.FEATURES]));

    for (GinPoint p : new GinPoint[] {GinPoint.MESSAGE, GinPoint.AGGREGATE, GinPoint.OUTPUT}) {
      assertFalse(v.vertex.quantPoint(p).initialised(), p + " saw no unprotected row");
    }
    double[][] x = Vertices.rows(in[GraphInputs.FEATURES]);
    int n = TinyGraph.N;
    int f = TinyGraph.F;
    double[][] hIn = new double[n][f];
    for (int e = 0; e < g.src.length; e++) {
      if (g.src[e] != g.dst[e]) {
        for (int j = 0; j < f; j++) {
          hIn[g.dst[e]][j] += x[g.src[e]][j];
        }
      }
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < f; j++) {
        hIn[i][j] += 1.3 * x[i][j];
      }
    }
    fq(v, GinPoint.LIN1_INPUT, hIn);
    double[][] w1 = fq(v, GinPoint.LIN1_WEIGHT, Vertices.rows(v.param(GinVertexImpl.W1_KEY)));
    double[][] z1 = affine(hIn, w1, Vertices.rows(v.param(GinVertexImpl.B1_KEY))[0]);
    fq(v, GinPoint.LIN1_OUTPUT, z1);
    for (double[] row : z1) {
      for (int k = 0; k < h; k++) {
        row[k] = Math.max(0, row[k]);
      }
    }
    fq(v, GinPoint.LIN2_INPUT, z1);
    double[][] w2 = fq(v, GinPoint.LIN2_WEIGHT, Vertices.rows(v.param(GinVertexImpl.W2_KEY)));
    double[][] want = affine(z1, w2, Vertices.rows(v.param(GinVertexImpl.B2_KEY))[0]);
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < h; k++) {
        assertEquals(want[i][k], got[i][k], 1e-9, "node " + i + " col " + k);
      }
    }
  }

  @Test
  void dqLeavesProtectedRowsUnquantizedInTraining() {
    Vertices<GinVertexImpl> v = Vertices.of(new GinVertex(TinyGraph.F, 6, false, new NoOp())
        .quantization(QuantMode.DQ, 4), DataType.DOUBLE);
    QuantGrid.assertProtectedRowsSkipQuantization(v, GinPoint.OUTPUT);
  }

  @Test
  void evaluationBeforeAnyRangeIsAnError() {
    TinyGraph g = new TinyGraph(61);
    Vertices<GinVertexImpl> v = Vertices.of(new GinVertex(TinyGraph.F, 3, false, new NoOp())
        .quantization(QuantMode.QAT, 8), DataType.FLOAT);
    INDArray[] in = g.inputs(DataType.FLOAT);
    v.setInputs(in, in[GraphInputs.FEATURES]);
    assertThrows(IllegalStateException.class, () -> v.vertex.doForward(false, NO_WS));
  }

  /** The state travels through DL4J's own updater, and eps is trained. */
  @Test
  void networkFitStoresRangesInTheParametersAndTrainsEps() {
    ComputationGraph net = new ComputationGraph(GinVertices.twoLayerNet(TinyGraph.F, 6, 3,
        new Sgd(0.05), QuantMode.DQ, 8, false, DataType.FLOAT));
    net.init();
    TinyGraph g = new TinyGraph(71);
    INDArray[] in = g.inputs(DataType.FLOAT);
    INDArray labels = Nd4j.zeros(DataType.FLOAT, TinyGraph.N, 3);
    Random r = new Random(3);
    for (int i = 0; i < TinyGraph.N; i++) {
      labels.putScalar(i, r.nextInt(3), 1.0);
    }
    INDArray mask = Nd4j.ones(DataType.FLOAT, TinyGraph.N, 1);
    for (int step = 0; step < 4; step++) {
      net.fit(GraphInputs.example(in, labels, mask));
    }
    for (String layer : new String[] {"gin1", "gin2"}) {
      INDArray q = net.paramTable().get(layer + "_" + GinVertexImpl.STATE_KEY);
      assertEquals(4.0, q.getDouble(0), layer + " step counter");
      int weightBatches = 1 + 3 * GinPoint.LIN2_WEIGHT.ordinal();
      assertEquals(4.0, q.getDouble(weightBatches), layer + " W2 range batches");
      assertTrue(q.getDouble(weightBatches + 1) < 0 && q.getDouble(weightBatches + 2) > 0, layer + " W2 range");
      assertNotEquals(0.0, net.paramTable().get(layer + "_" + GinVertexImpl.EPS_KEY).getDouble(0),
          layer + " eps trained");
    }
    INDArray out = net.output(false, in)[0];
    assertEquals(TinyGraph.N, out.size(0));
    assertEquals(TinyGraph.N, out.sum(1).sumNumber().doubleValue(), 1e-4, "softmax rows");
  }

  /** Fake-quantizes {@code a} in place with point {@code p}'s current parameters; returns it. */
  private static double[][] fq(Vertices<GinVertexImpl> v, GinPoint p, double[][] a) {
    QuantParams params = v.vertex.quantPoint(p).params();
    for (double[] row : a) {
      for (int k = 0; k < row.length; k++) {
        row[k] = FakeQuantizer.fakeQuantize(params, (float) row[k]);
      }
    }
    return a;
  }

  private static double[][] affine(double[][] x, double[][] w, double[] b) {
    double[][] out = new double[x.length][b.length];
    for (int i = 0; i < x.length; i++) {
      for (int k = 0; k < b.length; k++) {
        double sum = 0;
        for (int j = 0; j < w.length; j++) {
          sum += x[i][j] * w[j][k];
        }
        out[i][k] = sum + b[k];
      }
    }
    return out;
  }


}
