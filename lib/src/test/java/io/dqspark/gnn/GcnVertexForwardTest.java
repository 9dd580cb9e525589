package io.dqspark.gnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/** FP32 forward against a dense double-loop reference, and input validation. */
class GcnVertexForwardTest {
  private static final LayerWorkspaceMgr NO_WS = LayerWorkspaceMgr.noWorkspaces();

  @Test
  void forwardEqualsDenseReference() {
    for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
      for (boolean relu : new boolean[] {false, true}) {
        TinyGraph g = new TinyGraph(1);
        Vertices<GcnVertexImpl> v = Vertices.of(new GcnVertex(TinyGraph.F, 5, relu, 0.0, new NoOp()), type);
        v.vertex.paramTable(false).get(GcnVertexImpl.BIAS_KEY).assign(Nd4j.rand(type, 1, 5));
        INDArray[] in = g.inputs(type);
        v.setInputs(in, in[GraphInputs.FEATURES]);
        double[][] got = Vertices.rows(v.vertex.doForward(false, NO_WS));

        INDArray weights = v.vertex.paramTable(false).get(GcnVertexImpl.WEIGHT_KEY);
        double bound = Math.sqrt(6.0 / (TinyGraph.F + 5)); // Glorot uniform, drawn into the view
        assertTrue(weights.amaxNumber().doubleValue() > 0.1 * bound);
        assertTrue(weights.amaxNumber().doubleValue() <= bound);
        double[][] w = Vertices.rows(weights);
        double[] b = Vertices.rows(v.vertex.paramTable(false).get(GcnVertexImpl.BIAS_KEY))[0];
        double[][] want = TinyGraph.denseGcn(Vertices.rows(in[GraphInputs.FEATURES]), w, b, g.src, g.dst);
        double tol = type == DataType.DOUBLE ? 1e-12 : 1e-6;
        for (int i = 0; i < TinyGraph.N; i++) {
          for (int k = 0; k < 5; k++) {
            double expect = relu ? Math.max(0, want[i][k]) : want[i][k];
            assertEquals(expect, got[i][k], tol, type + " relu=" + relu + " node " + i + " col " + k);
          }
        }
      }
    }
  }

  @Test
  void isolatedNodeGetsItsOwnTransformPlusBias() {
    TinyGraph g = new TinyGraph(2);
    Vertices<GcnVertexImpl> v = Vertices.of(new GcnVertex(TinyGraph.F, 3, false, 0.0, new NoOp()), DataType.DOUBLE);
    INDArray[] in = g.inputs(DataType.DOUBLE);
    v.setInputs(in, in[GraphInputs.FEATURES]);
    INDArray out = v.vertex.doForward(false, NO_WS);
    INDArray xw = in[GraphInputs.FEATURES].getRow(9, true)
        .mmul(v.vertex.paramTable(false).get(GcnVertexImpl.WEIGHT_KEY));
    assertArrayEquals(xw.toDoubleVector(), out.getRow(9).toDoubleVector(), 1e-12);
  }

  @Test
  void graphWithoutEdgesUsesSelfLoopsOnly() {
    float[][] x = {{1, 2}, {3, 4}, {5, 6}};
    INDArray[] in = GraphInputs.of(x, new int[0], new int[0], null, 0, DataType.FLOAT);
    assertEquals(0, in[GraphInputs.EDGES].size(0));
    Vertices<GcnVertexImpl> v = Vertices.of(new GcnVertex(2, 3, false, 0.0, new NoOp()), DataType.FLOAT);
    v.setInputs(in, in[GraphInputs.FEATURES]);
    INDArray out = v.vertex.doForward(false, NO_WS);
    INDArray xw = in[GraphInputs.FEATURES].mmul(v.vertex.paramTable(false).get(GcnVertexImpl.WEIGHT_KEY));
    assertArrayEquals(NdArrays.toDouble(xw), NdArrays.toDouble(out), 1e-6);
  }

  @Test
  void rejectsMergedHeaderAndBadEdges() {
    TinyGraph g = new TinyGraph(3);
    Vertices<GcnVertexImpl> v = Vertices.of(new GcnVertex(TinyGraph.F, 3, false, 0.0, new NoOp()), DataType.DOUBLE);
    INDArray[] in = g.inputs(DataType.DOUBLE);
    INDArray merged = Nd4j.vstack(in[GraphInputs.HEADER], in[GraphInputs.HEADER]);
    v.vertex.setInputs(new INDArray[] {in[GraphInputs.FEATURES], merged, in[GraphInputs.MASK_PROB], in[GraphInputs.EDGES]});
    assertThrows(IllegalArgumentException.class, () -> v.vertex.doForward(false, NO_WS));

    INDArray badEdges = in[GraphInputs.EDGES].dup();
    badEdges.putScalar(0, 1, TinyGraph.N);
    v.vertex.setInputs(new INDArray[] {in[GraphInputs.FEATURES], in[GraphInputs.HEADER], in[GraphInputs.MASK_PROB], badEdges});
    assertThrows(IllegalArgumentException.class, () -> v.vertex.doForward(false, NO_WS));
  }
}
