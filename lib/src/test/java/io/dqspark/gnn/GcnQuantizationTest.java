package io.dqspark.gnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

/** Quantized forward passes: the output grid at evaluation, DQ's protected rows, state updates. */
class GcnQuantizationTest {
  private static final LayerWorkspaceMgr NO_WS = LayerWorkspaceMgr.noWorkspaces();

  @Test
  void evalOutputsLieOnTheOutputGrid() {
    for (QuantMode mode : new QuantMode[] {QuantMode.QAT, QuantMode.DQ}) {
      for (int bits : new int[] {8, 4}) {
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
          String what = mode + " int" + bits + " " + type;
          TinyGraph g = new TinyGraph(31);
          Vertices<GcnVertexImpl> v = Vertices.of(new GcnVertex(TinyGraph.F, 6, true, 0.0, new NoOp())
              .quantization(mode, bits), type);
          INDArray[] in = g.inputs(type);
          for (int step = 0; step < 3; step++) {
            v.trainStep(in, in[GraphInputs.FEATURES]);
          }
          INDArray q = v.vertex.paramTable(false).get(GcnVertexImpl.STATE_KEY);
          assertEquals(3.0, q.getDouble(0), what + ": step counter");
          v.setInputs(in, in[GraphInputs.FEATURES]);
          INDArray y = v.vertex.doForward(false, NO_WS);
          QuantParams p = v.vertex.quantPoint(GcnPoint.OUTPUT).params();
          QuantGrid.assertOnGrid(p, NdArrays.toDouble(y), what);
          assertTrue(y.maxNumber().doubleValue() > 0, what + ": not all zero");
        }
      }
    }
  }

  /**
   * The evaluation forward (which fake-quantizes each message as it is made, never holding the
   * {@code edges x width} tensor) equals a dense reference that applies all seven quantization
   * points to whole tensors, in QAT and DQ at 8 and 4 bits.
   */
  @Test
  void evaluationForwardEqualsAPointByPointDenseReference() {
    for (QuantMode mode : new QuantMode[] {QuantMode.QAT, QuantMode.DQ}) {
      for (int bits : new int[] {8, 4}) {
        String what = mode + " int" + bits;
        TinyGraph g = new TinyGraph(53 + bits);
        Vertices<GcnVertexImpl> v = Vertices.of(new GcnVertex(TinyGraph.F, 5, true, 0.0, new NoOp())
            .quantization(mode, bits), DataType.DOUBLE);
        v.vertex.paramTable(false).get(GcnVertexImpl.BIAS_KEY).assign(Nd4j.rand(DataType.DOUBLE, 1, 5).subi(0.5));
        INDArray[] in = g.inputs(DataType.DOUBLE);
        for (int step = 0; step < 3; step++) {
          v.trainStep(in, in[GraphInputs.FEATURES]);
        }
        v.setInputs(in, in[GraphInputs.FEATURES]);
        double[][] got = Vertices.rows(v.vertex.doForward(false, NO_WS));
        double[][] want = evaluationReference(v.vertex, Vertices.rows(in[GraphInputs.FEATURES]), g);
        for (int i = 0; i < TinyGraph.N; i++) {
          for (int k = 0; k < 5; k++) {
            assertEquals(want[i][k], got[i][k], 1e-9, what + ": node " + i + " col " + k);
          }
        }
        assertTrue(Arrays.stream(got).flatMapToDouble(Arrays::stream).anyMatch(y -> y > 0), what + ": not all zero");
      }
    }
  }

  @Test
  void dqProtectsEveryRowWhenMaskProbIsOne() {
    TinyGraph g = new TinyGraph(41);
    Arrays.fill(g.maskProb, 1.0);
    Vertices<GcnVertexImpl> v = Vertices.of(new GcnVertex(TinyGraph.F, 5, false, 0.0, new NoOp())
        .quantization(QuantMode.DQ, 4), DataType.DOUBLE);
    v.vertex.paramTable(false).get(GcnVertexImpl.BIAS_KEY).assign(Nd4j.rand(DataType.DOUBLE, 1, 5));
    INDArray[] in = g.inputs(DataType.DOUBLE);
    double[][] got = Vertices.rows(v.trainStep(in, in[GraphInputs.FEATURES]));

    // Only W and the normalisation coefficients are quantized: neither belongs to a node.
    QuantParams pw = v.vertex.quantPoint(GcnPoint.WEIGHT).params();
    QuantParams pn = v.vertex.quantPoint(GcnPoint.NORM).params();
    assertFalse(v.vertex.quantPoint(GcnPoint.OUTPUT).initialised(), "the output saw no unprotected row");
    double[][] w = Vertices.rows(v.vertex.paramTable(false).get(GcnVertexImpl.WEIGHT_KEY));
    for (double[] row : w) {
      for (int k = 0; k < row.length; k++) {
        row[k] = FakeQuantizer.fakeQuantize(pw, (float) row[k]);
      }
    }
    double[] b = Vertices.rows(v.vertex.paramTable(false).get(GcnVertexImpl.BIAS_KEY))[0];
    double[][] want = denseWithQuantizedNorm(Vertices.rows(in[GraphInputs.FEATURES]), w, b, g, pn);
    for (int i = 0; i < TinyGraph.N; i++) {
      for (int k = 0; k < 5; k++) {
        assertEquals(want[i][k], got[i][k], 1e-9, "node " + i + " col " + k);
      }
    }
  }

  @Test
  void dqLeavesProtectedRowsUnquantizedInTraining() {
    Vertices<GcnVertexImpl> v = Vertices.of(new GcnVertex(TinyGraph.F, 6, false, 0.0, new NoOp())
        .quantization(QuantMode.DQ, 4), DataType.DOUBLE);
    QuantGrid.assertProtectedRowsSkipQuantization(v, GcnPoint.OUTPUT);
  }

  @Test
  void evaluationBeforeAnyRangeIsAnError() {
    TinyGraph g = new TinyGraph(61);
    Vertices<GcnVertexImpl> v = Vertices.of(new GcnVertex(TinyGraph.F, 3, false, 0.0, new NoOp())
        .quantization(QuantMode.QAT, 8), DataType.FLOAT);
    INDArray[] in = g.inputs(DataType.FLOAT);
    v.setInputs(in, in[GraphInputs.FEATURES]);
    assertThrows(IllegalStateException.class, () -> v.vertex.doForward(false, NO_WS));
  }

  /** The state travels through DL4J's own updater: NoOp, no minibatch division, old - new. */
  @Test
  void networkFitStoresRangesInTheParameters() {
    GcnModels.Options o = new GcnModels.Options();
    o.hidden = 6;
    o.dropout = 0.5;
    o.mode = QuantMode.DQ;
    o.bits = 8;
    ComputationGraph net = new ComputationGraph(GcnModels.nodeClassifier(TinyGraph.F, 3, new Sgd(0.1), o));
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
    for (String layer : new String[] {"gcn1", "gcn2"}) {
      INDArray q = net.paramTable().get(layer + "_" + GcnVertexImpl.STATE_KEY);
      assertEquals(4.0, q.getDouble(0), layer + " step counter");
      int weightBatches = 1 + 3 * GcnPoint.WEIGHT.ordinal();
      assertEquals(4.0, q.getDouble(weightBatches), layer + " weight range batches");
      assertTrue(q.getDouble(weightBatches + 1) < 0 && q.getDouble(weightBatches + 2) > 0, layer + " weight range");
    }
    INDArray out = net.output(false, in)[0];
    assertEquals(TinyGraph.N, out.size(0));
    assertEquals(TinyGraph.N, out.sum(1).sumNumber().doubleValue(), 1e-4, "softmax rows");
  }

  /** {@code Q(x)} at point {@code p} of {@code v} as an evaluation forward applies it. */
  private static double q(GcnVertexImpl v, GcnPoint p, double x) {
    QuantParams params = v.quantPoint(p).evaluationParams();
    return params == null ? x : FakeQuantizer.fakeQuantize(params, (float) x);
  }

  /** The layer of {@link GcnVertexImpl}'s javadoc, tensor by tensor, with self-loops added. */
  private static double[][] evaluationReference(GcnVertexImpl v, double[][] x, TinyGraph g) {
    double[][] w = Vertices.rows(v.paramTable(false).get(GcnVertexImpl.WEIGHT_KEY));
    double[] b = Vertices.rows(v.paramTable(false).get(GcnVertexImpl.BIAS_KEY))[0];
    int n = x.length;
    int h = b.length;
    double[][] z = new double[n][h];
    for (int s = 0; s < n; s++) {
      for (int k = 0; k < h; k++) {
        double acc = 0;
        for (int j = 0; j < w.length; j++) {
          acc += q(v, GcnPoint.INPUT, x[s][j]) * q(v, GcnPoint.WEIGHT, w[j][k]);
        }
        z[s][k] = q(v, GcnPoint.XW, acc);
      }
    }
    int[] deg = new int[n];
    java.util.List<int[]> edges = new java.util.ArrayList<>();
    for (int e = 0; e < g.src.length; e++) {
      if (g.src[e] != g.dst[e]) {
        edges.add(new int[] {g.src[e], g.dst[e]});
      }
    }
    for (int u = 0; u < n; u++) {
      edges.add(new int[] {u, u});
    }
    for (int[] e : edges) {
      deg[e[1]]++;
    }
    double[][] out = new double[n][h];
    for (int[] e : edges) {
      double c = q(v, GcnPoint.NORM, 1 / Math.sqrt((double) deg[e[0]] * deg[e[1]]));
      for (int k = 0; k < h; k++) {
        out[e[1]][k] += q(v, GcnPoint.MESSAGE, c * z[e[0]][k]);
      }
    }
    for (int d = 0; d < n; d++) {
      for (int k = 0; k < h; k++) {
        double o = q(v, GcnPoint.OUTPUT, q(v, GcnPoint.AGGREGATE, out[d][k]) + b[k]);
        out[d][k] = Math.max(o, 0);
      }
    }
    return out;
  }

  private static double[][] denseWithQuantizedNorm(double[][] x, double[][] w, double[] b, TinyGraph g,
      QuantParams pn) {
    // Dense reference with each coefficient 1/sqrt(deg_s deg_d) fake-quantized.
    int n = x.length;
    double[][] a = new double[n][n];
    for (int e = 0; e < g.src.length; e++) {
      if (g.src[e] != g.dst[e]) {
        a[g.dst[e]][g.src[e]] += 1;
      }
    }
    double[] deg = new double[n];
    for (int v = 0; v < n; v++) {
      a[v][v] += 1;
      for (int s = 0; s < n; s++) {
        deg[v] += a[v][s];
      }
    }
    double[][] out = new double[n][b.length];
    for (int d = 0; d < n; d++) {
      for (int k = 0; k < b.length; k++) {
        double sum = b[k];
        for (int s = 0; s < n; s++) {
          if (a[d][s] == 0) {
            continue;
          }
          double c = FakeQuantizer.fakeQuantize(pn, (float) (1 / Math.sqrt(deg[s] * deg[d])));
          double xw = 0;
          for (int j = 0; j < w.length; j++) {
            xw += x[s][j] * w[j][k];
          }
          sum += a[d][s] * c * xw;
        }
        out[d][k] = sum;
      }
    }
    return out;
  }


}
