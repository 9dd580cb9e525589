package io.dqspark.gnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/** FP32 forward against a dense double-loop reference, and input validation. */
class GinVertexForwardTest {
  private static final LayerWorkspaceMgr NO_WS = LayerWorkspaceMgr.noWorkspaces();

  @Test
  void forwardEqualsDenseReference() {
    for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
      for (boolean relu : new boolean[] {false, true}) {
        for (double eps : new double[] {0.0, 0.4}) {
          String what = type + " relu=" + relu + " eps=" + eps;
          TinyGraph g = new TinyGraph(1);
          Vertices<GinVertexImpl> v = Vertices.of(new GinVertex(TinyGraph.F, 5, relu, new NoOp()), type);
          v.param(GinVertexImpl.EPS_KEY).assign(eps);
          INDArray[] in = g.inputs(type);
          v.setInputs(in, in[GraphInputs.FEATURES]);
          double[][] got = Vertices.rows(v.vertex.doForward(false, NO_WS));

          double[][] want = denseGin(Vertices.rows(in[GraphInputs.FEATURES]), g.src, g.dst, eps,
              Vertices.rows(v.param(GinVertexImpl.W1_KEY)), Vertices.rows(v.param(GinVertexImpl.B1_KEY))[0],
              Vertices.rows(v.param(GinVertexImpl.W2_KEY)), Vertices.rows(v.param(GinVertexImpl.B2_KEY))[0],
              relu);
          double tol = type == DataType.DOUBLE ? 1e-12 : 1e-5;
          for (int i = 0; i < TinyGraph.N; i++) {
            for (int k = 0; k < 5; k++) {
              assertEquals(want[i][k], got[i][k], tol, what + " node " + i + " col " + k);
            }
          }
        }
      }
    }
  }

  @Test
  void initialisationFollowsPyTorchLinear() {
    Vertices<GinVertexImpl> v = Vertices.of(new GinVertex(16, 9, true, new NoOp()), DataType.DOUBLE);
    assertEquals(0.0, v.param(GinVertexImpl.EPS_KEY).getDouble(0));
    double bound1 = 1 / Math.sqrt(16);
    double bound2 = 1 / Math.sqrt(9);
    for (String key : new String[] {GinVertexImpl.W1_KEY, GinVertexImpl.B1_KEY}) {
      double max = v.param(key).amaxNumber().doubleValue();
      assertEquals(true, max <= bound1 && max > 0.1 * bound1, key + " max " + max);
    }
    for (String key : new String[] {GinVertexImpl.W2_KEY, GinVertexImpl.B2_KEY}) {
      double max = v.param(key).amaxNumber().doubleValue();
      assertEquals(true, max <= bound2 && max > 0.1 * bound2, key + " max " + max);
    }
    assertEquals(0.0, v.param(GinVertexImpl.STATE_KEY).amaxNumber().doubleValue());
  }

  @Test
  void selfLoopsInTheInputAreIgnored() {
    float[][] x = {{1, -2}, {3, 4}, {-5, 6}};
    INDArray[] plain = GraphInputs.of(x, new int[] {0, 1}, new int[] {1, 2}, null, 0, DataType.DOUBLE);
    INDArray[] loops = GraphInputs.of(x, new int[] {0, 1, 1, 2}, new int[] {1, 1, 2, 2}, null, 0,
        DataType.DOUBLE);
    Vertices<GinVertexImpl> v = Vertices.of(new GinVertex(2, 3, false, new NoOp()), DataType.DOUBLE);
    v.setInputs(plain, plain[GraphInputs.FEATURES]);
    double[] a = NdArrays.toDouble(v.vertex.doForward(false, NO_WS));
    v.setInputs(loops, loops[GraphInputs.FEATURES]);
    double[] b = NdArrays.toDouble(v.vertex.doForward(false, NO_WS));
    assertArrayEquals(a, b, 0.0);
  }

  @Test
  void graphWithoutEdgesAppliesTheMlpToTheSelfTerm() {
    float[][] x = {{1, 2}, {3, 4}, {5, 6}};
    INDArray[] in = GraphInputs.of(x, new int[0], new int[0], null, 0, DataType.DOUBLE);
    Vertices<GinVertexImpl> v = Vertices.of(new GinVertex(2, 3, false, new NoOp()), DataType.DOUBLE);
    v.param(GinVertexImpl.EPS_KEY).assign(1.0); // (1 + eps) x = 2x
    v.setInputs(in, in[GraphInputs.FEATURES]);
    double[] got = NdArrays.toDouble(v.vertex.doForward(false, NO_WS));
    double[][] want = denseGin(Vertices.rows(in[GraphInputs.FEATURES]), new int[0], new int[0], 1.0,
        Vertices.rows(v.param(GinVertexImpl.W1_KEY)), Vertices.rows(v.param(GinVertexImpl.B1_KEY))[0],
        Vertices.rows(v.param(GinVertexImpl.W2_KEY)), Vertices.rows(v.param(GinVertexImpl.B2_KEY))[0],
        false);
    for (int i = 0; i < 3; i++) {
      for (int k = 0; k < 3; k++) {
        assertEquals(want[i][k], got[i * 3 + k], 1e-12);
      }
    }
  }

  @Test
  void rejectsMergedHeaderBadEdgesAndWrongWidth() {
    TinyGraph g = new TinyGraph(3);
    Vertices<GinVertexImpl> v = Vertices.of(new GinVertex(TinyGraph.F, 3, false, new NoOp()), DataType.DOUBLE);
    INDArray[] in = g.inputs(DataType.DOUBLE);
    INDArray merged = Nd4j.vstack(in[GraphInputs.HEADER], in[GraphInputs.HEADER]);
    v.vertex.setInputs(new INDArray[] {in[GraphInputs.FEATURES], merged, in[GraphInputs.MASK_PROB], in[GraphInputs.EDGES]});
    assertThrows(IllegalArgumentException.class, () -> v.vertex.doForward(false, NO_WS));

    INDArray badEdges = in[GraphInputs.EDGES].dup();
    badEdges.putScalar(0, 1, TinyGraph.N);
    v.vertex.setInputs(new INDArray[] {in[GraphInputs.FEATURES], in[GraphInputs.HEADER], in[GraphInputs.MASK_PROB], badEdges});
    assertThrows(IllegalArgumentException.class, () -> v.vertex.doForward(false, NO_WS));

    INDArray narrow = Nd4j.zeros(DataType.DOUBLE, TinyGraph.N, TinyGraph.F - 1);
    v.setInputs(in, narrow);
    assertThrows(IllegalArgumentException.class, () -> v.vertex.doForward(false, NO_WS));
  }

  /**
   * Dense reference in plain double loops: {@code A[d][s]} counts non-self-loop edges s -> d,
   * {@code H = (1 + eps) X + A X}, then {@code relu(H W1 + b1) W2 + b2}, optionally ReLU'd.
   */
  static double[][] denseGin(double[][] x, int[] src, int[] dst, double eps, double[][] w1,
      double[] b1, double[][] w2, double[] b2, boolean relu) {
    int n = x.length;
    int f = x[0].length;
    double[][] a = new double[n][n];
    for (int e = 0; e < src.length; e++) {
      if (src[e] != dst[e]) {
        a[dst[e]][src[e]] += 1;
      }
    }
    double[][] hIn = new double[n][f];
    for (int d = 0; d < n; d++) {
      for (int j = 0; j < f; j++) {
        double sum = (1 + eps) * x[d][j];
        for (int s = 0; s < n; s++) {
          sum += a[d][s] * x[s][j];
        }
        hIn[d][j] = sum;
      }
    }
    double[][] hid = new double[n][b1.length];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < b1.length; k++) {
        double sum = b1[k];
        for (int j = 0; j < f; j++) {
          sum += hIn[i][j] * w1[j][k];
        }
        hid[i][k] = Math.max(0, sum);
      }
    }
    double[][] out = new double[n][b2.length];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < b2.length; k++) {
        double sum = b2[k];
        for (int j = 0; j < b1.length; j++) {
          sum += hid[i][j] * w2[j][k];
        }
        out[i][k] = relu ? Math.max(0, sum) : sum;
      }
    }
    return out;
  }
}
