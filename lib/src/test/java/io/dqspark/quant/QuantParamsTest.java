package io.dqspark.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dqspark.util.DqInputException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class QuantParamsTest {
  @Test
  void codeRangesFollowBitsAndSignedness() {
    assertEquals(-128, QuantParams.qmin(8, true));
    assertEquals(127, QuantParams.qmax(8, true));
    assertEquals(0, QuantParams.qmin(8, false));
    assertEquals(255, QuantParams.qmax(8, false));
    assertEquals(-8, QuantParams.qmin(4, true));
    assertEquals(7, QuantParams.qmax(4, true));
    assertEquals(3, QuantParams.qmax(2, false));
  }

  @Test
  void badBitsNameTheParameter() {
    for (int bits : new int[] {1, 9, 0, -3, 32}) {
      DqInputException e = assertThrows(DqInputException.class,
          () -> QuantParams.fromRange(bits, true, -1, 1));
      assertTrue(e.getMessage().contains("bits") && e.getMessage().contains(Integer.toString(bits)),
          e.getMessage());
    }
  }

  @Test
  void badRangesAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> QuantParams.fromRange(8, true, 1, -1));
    assertThrows(IllegalArgumentException.class, () -> QuantParams.fromRange(8, true, Double.NaN, 1));
    assertThrows(IllegalArgumentException.class,
        () -> QuantParams.fromRange(8, true, 0, Double.POSITIVE_INFINITY));
    assertThrows(DqInputException.class, () -> QuantParams.of(8, true, 0f, 0));
    assertThrows(DqInputException.class, () -> QuantParams.of(8, true, 0.1f, 128));
    assertThrows(DqInputException.class, () -> QuantParams.of(8, false, 0.1f, -1));
  }

  @Test
  void matchesDoublePrecisionReferenceOnRandomRanges() {
    SplittableRandom rnd = new SplittableRandom(11);
    for (int trial = 0; trial < 2000; trial++) {
      int bits = 2 + rnd.nextInt(7);
      boolean signed = rnd.nextBoolean();
      double a = (rnd.nextDouble() * 2 - 1) * Math.pow(10, rnd.nextInt(-4, 4));
      double b = (rnd.nextDouble() * 2 - 1) * Math.pow(10, rnd.nextInt(-4, 4));
      double min = Math.min(a, b);
      double max = Math.max(a, b);
      QuantParams p = QuantParams.fromRange(bits, signed, min, max);

      int qmin = signed ? -(1 << (bits - 1)) : 0;
      int qmax = qmin + (1 << bits) - 1;
      double lo = Math.min(0, min);
      double hi = Math.max(0, max);
      double scale = Math.max((hi - lo) / (qmax - qmin), Math.pow(2, -23));
      double zp = Math.max(qmin, Math.min(qmax, qmin - Math.rint(lo / scale)));
      assertEquals((float) scale, p.scale());
      assertEquals((int) zp, p.zeroPoint(), p.toString());
      assertEquals(lo, p.rangeMin());
      assertEquals(hi, p.rangeMax());
      // Zero is exactly representable.
      assertEquals(0f, FakeQuantizer.fakeQuantize(p, 0f));
      assertEquals(p, QuantParams.of(bits, signed, p.scale(), p.zeroPoint()));
    }
  }

  @Test
  void rangeIsWidenedToContainZero() {
    QuantParams positive = QuantParams.fromRange(8, false, 2, 6);
    assertEquals(0, positive.zeroPoint());
    assertEquals(6 / 255f, positive.scale());
    QuantParams negative = QuantParams.fromRange(8, true, -5.1, -1);
    assertEquals(127, negative.zeroPoint());
    assertEquals((float) (5.1 / 255), negative.scale());
  }

  @Test
  void degenerateRangesUseUnitScaleOrTheEpsilonFloor() {
    QuantParams zero = QuantParams.fromRange(8, true, 0, 0);
    assertEquals(1f, zero.scale());
    assertEquals(0, zero.zeroPoint());
    QuantParams tiny = QuantParams.fromRange(8, true, 0, 1e-12);
    assertEquals(QuantParams.SCALE_EPS, tiny.scale());
    assertEquals(0x1.0p-23f, QuantParams.SCALE_EPS);
    assertEquals(-128, tiny.zeroPoint());
  }
}
