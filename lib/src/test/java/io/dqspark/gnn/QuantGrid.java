package io.dqspark.gnn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dqspark.quant.FakeQuantizer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import io.dqspark.quant.QuantParams;

/** Assertions about values lying on a quantizer's grid. */
final class QuantGrid {
  private QuantGrid() {}

  static boolean onGrid(QuantParams p, double value) {
    float f = (float) value;
    return f == value && FakeQuantizer.fakeQuantize(p, f) == f;
  }

  static void assertOnGrid(QuantParams p, double[] values, String what) {
    for (double value : values) {
      assertTrue(onGrid(p, value), what + ": " + value + " is not on the grid of " + p);
    }
  }

  /** Unprotected rows lie on the grid; protected rows keep at least one full-precision value. */
  static void assertOnlyProtectedRowsOffGrid(QuantParams p, double[][] rows, boolean[] protectedRow) {
    int offGrid = 0;
    for (int i = 0; i < rows.length; i++) {
      if (protectedRow[i]) {
        for (double value : rows[i]) {
          offGrid += onGrid(p, value) ? 0 : 1;
        }
      } else {
        assertOnGrid(p, rows[i], "unprotected node " + i);
      }
    }
    assertTrue(offGrid > 0, "protected rows keep full-precision values");
  }

  /**
   * DQ training of a vertex on {@link TinyGraph}(51): two steps with nothing protected give every
   * point a range, then nodes 0, 3 and 5 are protected (p = 1) and must be the only output rows off
   * the output quantizer's grid.
   */
  static <P extends Enum<P>, V extends QuantizedVertexImpl<?, P>> void assertProtectedRowsSkipQuantization(
      Vertices<V> v, P output) {
    INDArray[] in = new TinyGraph(51).inputs(DataType.DOUBLE);
    in[GraphInputs.MASK_PROB].assign(0);
    for (int step = 0; step < 2; step++) {
      v.trainStep(in, in[GraphInputs.FEATURES]);
    }
    boolean[] protectedNode = new boolean[TinyGraph.N];
    for (int node : new int[] {0, 3, 5}) {
      protectedNode[node] = true;
      in[GraphInputs.MASK_PROB].putScalar(node, 0, 1.0);
    }
    double[][] y = Vertices.rows(v.trainStep(in, in[GraphInputs.FEATURES]));
    assertOnlyProtectedRowsOffGrid(v.vertex.quantPoint(output).params(), y, protectedNode);
  }
}
