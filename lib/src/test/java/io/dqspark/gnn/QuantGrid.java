package io.dqspark.gnn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dqspark.quant.FakeQuantizer;
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
}
