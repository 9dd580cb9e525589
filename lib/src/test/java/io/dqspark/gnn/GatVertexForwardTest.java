package io.dqspark.gnn;

import static io.dqspark.gnn.GatVertices.gat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dqspark.gnn.GatVertex.Activation;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/** FP32 forward against a dense attention-matrix reference, the attention coefficients, and input validation. */
class GatVertexForwardTest {
  private static final LayerWorkspaceMgr NO_WS = LayerWorkspaceMgr.noWorkspaces();

  @Test
  void forwardEqualsDenseReference() {
    for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
      for (Activation act : Activation.values()) {
        for (boolean concat : new boolean[] {true, false}) {
          for (int heads : new int[] {1, 3}) {
            String what = type + " " + act + " concat=" + concat + " heads=" + heads;
            TinyGraph g = new TinyGraph(1);
            Vertices<GatVertexImpl> v = Vertices.of(gat(TinyGraph.F, 4, heads, concat, act, new NoOp()), type);
            INDArray b = v.param(GatVertexImpl.BIAS_KEY);
            b.assign(Nd4j.rand(type, b.shape()).subi(0.5));
            INDArray[] in = g.inputs(type);
            v.setInputs(in, in[GraphInputs.FEATURES]);
            double[][] got = Vertices.rows(v.vertex.doForward(false, NO_WS));

            double[][] want = GatVertices.dense(Vertices.rows(in[GraphInputs.FEATURES]),
                Vertices.rows(v.param(GatVertexImpl.WEIGHT_KEY)), Vertices.rows(v.param(GatVertexImpl.ATT_SRC_KEY)),
                Vertices.rows(v.param(GatVertexImpl.ATT_DST_KEY)), Vertices.rows(b)[0], concat, act, g.src, g.dst);
            int width = concat ? heads * 4 : 4;
            assertEquals(width, got[0].length, what + ": output width");
            double tol = type == DataType.DOUBLE ? 1e-10 : 1e-5;
            for (int i = 0; i < TinyGraph.N; i++) {
              for (int k = 0; k < width; k++) {
                assertEquals(want[i][k], got[i][k], tol, what + " node " + i + " col " + k);
              }
            }
          }
        }
      }
    }
  }

  /**
   * Per destination and head the coefficients sum to 1 and equal the dense matrix's entries
   * (divided by the edge's multiplicity); the node with no in-edges attends only to itself.
   */
  @Test
  void attentionCoefficientsAreASoftmaxPerDestination() {
    int heads = 3;
    TinyGraph g = new TinyGraph(2);
    Vertices<GatVertexImpl> v = Vertices.of(gat(TinyGraph.F, 2, heads, true, Activation.NONE, new NoOp()),
        DataType.DOUBLE);
    INDArray[] in = g.inputs(DataType.DOUBLE);
    v.setInputs(in, in[GraphInputs.FEATURES]);
    v.vertex.doForward(true, NO_WS);
    GatVertexImpl.Cache c = v.vertex.last;
    GraphStructure s = c.graph;
    double[][] counts = GatVertices.counts(TinyGraph.N, g.src, g.dst);
    double[][][] dense = GatVertices.attention(
        GatVertices.product(Vertices.rows(in[GraphInputs.FEATURES]), Vertices.rows(v.param(GatVertexImpl.WEIGHT_KEY))),
        Vertices.rows(v.param(GatVertexImpl.ATT_SRC_KEY)), Vertices.rows(v.param(GatVertexImpl.ATT_DST_KEY)), counts);
    double[][] sum = new double[TinyGraph.N][heads];
    for (int e = 0; e < s.numEdges; e++) {
      for (int h = 0; h < heads; h++) {
        double a = c.alpha[e * heads + h];
        sum[s.dst[e]][h] += a;
        double want = dense[h][s.dst[e]][s.src[e]] / counts[s.dst[e]][s.src[e]];
        assertEquals(want, a, 1e-12, "edge " + s.src[e] + " -> " + s.dst[e] + " head " + h);
      }
    }
    for (int d = 0; d < TinyGraph.N; d++) {
      for (int h = 0; h < heads; h++) {
        assertEquals(1.0, sum[d][h], 1e-12, "node " + d + " head " + h);
      }
    }
    assertEquals(1.0, dense[0][8][8], 1e-15, "node 8 has only its self-loop");
  }

  @Test
  void largeLogitsStayFinite() {
    TinyGraph g = new TinyGraph(3);
    Vertices<GatVertexImpl> v = Vertices.of(gat(TinyGraph.F, 3, 2, false, Activation.ELU, new NoOp()),
        DataType.FLOAT);
    v.param(GatVertexImpl.ATT_SRC_KEY).muli(1e4);
    v.param(GatVertexImpl.ATT_DST_KEY).muli(-1e4);
    INDArray[] in = g.inputs(DataType.FLOAT);
    v.setInputs(in, in[GraphInputs.FEATURES]);
    INDArray y = v.vertex.doForward(true, NO_WS);
    for (double value : NdArrays.toDouble(y)) {
      assertTrue(Double.isFinite(value), "output " + value);
    }
    double[] alpha = v.vertex.last.alpha;
    double[] sum = new double[TinyGraph.N * 2];
    GraphStructure s = v.vertex.last.graph;
    for (int e = 0; e < s.numEdges; e++) {
      sum[s.dst[e] * 2] += alpha[e * 2];
      sum[s.dst[e] * 2 + 1] += alpha[e * 2 + 1];
    }
    for (double total : sum) {
      assertEquals(1.0, total, 1e-12);
    }
  }

  @Test
  void glorotInitialisationAndZeroBias() {
    int nIn = 16;
    int f = 8;
    int heads = 4;
    Vertices<GatVertexImpl> v = Vertices.of(gat(nIn, f, heads, true, Activation.NONE, new NoOp()), DataType.DOUBLE);
    assertBound(v.param(GatVertexImpl.WEIGHT_KEY), Math.sqrt(6.0 / (nIn + heads * f)));
    assertBound(v.param(GatVertexImpl.ATT_SRC_KEY), Math.sqrt(6.0 / (f + 1)));
    assertBound(v.param(GatVertexImpl.ATT_DST_KEY), Math.sqrt(6.0 / (f + 1)));
    assertEquals(0.0, v.param(GatVertexImpl.BIAS_KEY).amaxNumber().doubleValue());
    assertEquals(0.0, v.param(GatVertexImpl.STATE_KEY).amaxNumber().doubleValue());
    assertEquals(heads * f, v.param(GatVertexImpl.BIAS_KEY).length());
  }

  private static void assertBound(INDArray a, double bound) {
    double max = a.amaxNumber().doubleValue();
    assertTrue(max <= bound && max > 0.5 * bound, "max |value| " + max + " vs bound " + bound);
  }

  @Test
  void outputWidthFollowsConcat() {
    GatVertex concat = new GatVertex(5, 3, 4, true, new NoOp());
    GatVertex mean = new GatVertex(5, 3, 4, false, new NoOp());
    assertEquals(InputType.feedForward(12), concat.getOutputType(0, InputType.feedForward(5)));
    assertEquals(InputType.feedForward(3), mean.getOutputType(0, InputType.feedForward(5)));
    assertEquals(5L * 12 + 2 * 12 + 12 + GatVertexImpl.STATE_LENGTH, concat.numParams(true));
    assertEquals(5L * 12 + 2 * 12 + 3 + GatVertexImpl.STATE_LENGTH, mean.numParams(true));
  }

  @Test
  void rejectsBadSettingsNamingVertexAndParameter() {
    assertRejected(new GatVertex(0, 3, 2, true, new NoOp()), "nIn");
    assertRejected(new GatVertex(4, 0, 2, true, new NoOp()), "outPerHead");
    assertRejected(new GatVertex(4, 3, -1, true, new NoOp()), "heads");
    GatVertex dropout = new GatVertex(4, 3, 2, true, new NoOp());
    dropout.setDropout(1.0);
    assertRejected(dropout, "dropout");
    GatVertex attention = new GatVertex(4, 3, 2, true, new NoOp());
    attention.setAttentionDropout(-0.1);
    assertRejected(attention, "attentionDropout");
  }

  private static void assertRejected(GatVertex conf, String parameter) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Vertices.of(conf, DataType.FLOAT));
    assertTrue(e.getMessage().contains("'gat'") && e.getMessage().contains(parameter + " must be"),
        e.getMessage());
  }

  @Test
  void rejectsWrongInputShapes() {
    TinyGraph g = new TinyGraph(4);
    Vertices<GatVertexImpl> v = Vertices.of(gat(TinyGraph.F + 1, 3, 2, true, Activation.NONE, new NoOp()),
        DataType.DOUBLE);
    INDArray[] in = g.inputs(DataType.DOUBLE);
    v.setInputs(in, in[GraphInputs.FEATURES]);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> v.vertex.doForward(false, NO_WS));
    assertTrue(e.getMessage().contains("'gat'") && e.getMessage().contains("features"), e.getMessage());

    Vertices<GatVertexImpl> ok = Vertices.of(gat(TinyGraph.F, 3, 2, true, Activation.NONE, new NoOp()),
        DataType.DOUBLE);
    INDArray merged = Nd4j.vstack(in[GraphInputs.HEADER], in[GraphInputs.HEADER]);
    ok.vertex.setInputs(new INDArray[] {in[GraphInputs.FEATURES], merged, in[GraphInputs.MASK_PROB], in[GraphInputs.EDGES]});
    assertThrows(IllegalArgumentException.class, () -> ok.vertex.doForward(false, NO_WS));
    INDArray badEdges = in[GraphInputs.EDGES].dup();
    badEdges.putScalar(0, 1, TinyGraph.N);
    ok.vertex.setInputs(new INDArray[] {in[GraphInputs.FEATURES], in[GraphInputs.HEADER], in[GraphInputs.MASK_PROB], badEdges});
    assertThrows(IllegalArgumentException.class, () -> ok.vertex.doForward(false, NO_WS));
  }

  @Test
  void graphWithoutEdgesReturnsEachNodesOwnTransform() {
    float[][] x = {{1, 2}, {3, 4}, {5, 6}};
    INDArray[] in = GraphInputs.of(x, new int[0], new int[0], null, 0, DataType.DOUBLE);
    Vertices<GatVertexImpl> v = Vertices.of(gat(2, 3, 2, false, Activation.NONE, new NoOp()), DataType.DOUBLE);
    v.setInputs(in, in[GraphInputs.FEATURES]);
    double[][] got = Vertices.rows(v.vertex.doForward(false, NO_WS));
    double[][] z = GatVertices.product(Vertices.rows(in[GraphInputs.FEATURES]),
        Vertices.rows(v.param(GatVertexImpl.WEIGHT_KEY)));
    for (int i = 0; i < 3; i++) {
      for (int k = 0; k < 3; k++) {
        assertEquals((z[i][k] + z[i][3 + k]) / 2, got[i][k], 1e-12, "node " + i + " col " + k);
      }
    }
  }
}
