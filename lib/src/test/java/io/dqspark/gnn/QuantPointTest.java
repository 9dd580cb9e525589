package io.dqspark.gnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dqspark.quant.FakeQuantizer;
import io.dqspark.quant.QuantParams;
import org.junit.jupiter.api.Test;

/** One quantization point on double tensors: modes, protected rows, STE rules, saved state. */
class QuantPointTest {
  /** Two rows of three; the range becomes [-1, 1] from the first (training) batch. */
  private static double[] batch() {
    return new double[] {-1.0, 0.1234567, 1.0, 0.3333333, -0.777777, 0.5};
  }

  @Test
  void dqQuantizesUnprotectedRowsAndKeepsProtectedOnesExact() {
    QuantPoint p = new QuantPoint("t", QuantMode.DQ, 4, true, false);
    double[] x = batch();
    p.forward(x, 3, new boolean[] {false, true}, true);
    QuantParams q = p.params();
    for (int i = 0; i < 3; i++) {
      assertEquals(FakeQuantizer.fakeQuantize(q, (float) batch()[i]), x[i], 0.0);
    }
    assertArrayEquals(new double[] {0.3333333, -0.777777, 0.5}, new double[] {x[3], x[4], x[5]}, 0.0);
  }

  @Test
  void clipAwareZeroesClippedGradientsOnlyInDq() {
    for (QuantMode mode : new QuantMode[] {QuantMode.DQ, QuantMode.QAT}) {
      QuantPoint p = new QuantPoint("t", mode, 8, true, false);
      p.forward(batch(), 3, null, true); // range [-1, 1]
      double[] wide = {-3.0, 0.5, 3.0};
      p.forward(wide, 3, null, false);
      double[] grad = {1, 1, 1};
      p.backward(grad);
      double clipped = mode == QuantMode.DQ ? 0 : 1;
      assertArrayEquals(new double[] {clipped, 1, clipped}, grad, 0.0, mode.name());
    }
  }

  @Test
  void passThroughAndFp32LeaveValuesAlone() {
    QuantPoint pass = new QuantPoint("t", QuantMode.QAT, 4, true, true);
    double[] x = batch();
    pass.forward(x, 3, null, true);
    assertArrayEquals(batch(), x, 0.0);
    assertEquals(1.0, pass.params().rangeMax(), 1e-6); // but it observed the range (first batch: min/max)
    QuantPoint fp32 = new QuantPoint("t", QuantMode.FP32, 8, true, false);
    fp32.forward(x, 3, null, true);
    assertArrayEquals(batch(), x, 0.0);
    assertThrows(IllegalStateException.class, fp32::params);
  }

  @Test
  void stateRoundTripsAndUnsetStateIsZeros() {
    QuantPoint a = new QuantPoint("a", QuantMode.QAT, 8, true, false);
    double[] saved = {9, 9, 9, 9};
    a.saveState(saved, 1);
    assertArrayEquals(new double[] {9, 0, 0, 0}, saved, 0.0);
    a.forward(batch(), 3, null, true);
    a.saveState(saved, 1);
    QuantPoint b = new QuantPoint("b", QuantMode.QAT, 8, true, false);
    b.loadState(saved, 1);
    assertEquals(a.params(), b.params());
    double[] x = batch();
    b.forward(x, 3, null, false);
    assertEquals(FakeQuantizer.fakeQuantize(a.params(), 0.1234567f), x[1], 0.0);
  }
}
