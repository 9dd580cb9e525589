package io.dqspark.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dqspark.util.DqInputException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FixedPointMultiplierTest {
  /** Exact value acc * m0 * 2^(-31-n). */
  private static BigDecimal scaled(FixedPointMultiplier f, int acc) {
    BigDecimal p = BigDecimal.valueOf((long) acc * f.multiplier());
    int s = 31 + f.shift();
    // Dividing by a power of two is exact in decimal: multiply by 5^s and shift the point s places.
    return p.multiply(BigDecimal.valueOf(5).pow(s)).scaleByPowerOfTen(-s);
  }

  private static long clampInt(BigDecimal v) {
    return Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v.longValueExact()));
  }

  /** Random multipliers over [2^-20, 2^4) and accumulators whose product fits in int32. */
  @Test
  void matchesExactAndDoubleReferencesOnRandomCases() {
    SplittableRandom rnd = new SplittableRandom(10);
    int nearTies = 0;
    int cases = 8_000;
    for (int c = 0; c < cases; c++) {
      double m = Math.pow(2, rnd.nextDouble(-20, 4));
      FixedPointMultiplier f = FixedPointMultiplier.of(m);
      assertTrue(f.multiplier() >= 1 << 30, f.toString());
      assertTrue(Math.abs(f.value() - m) <= m * 0x1.0p-31, f.toString());
      double limit = Math.min(Integer.MAX_VALUE, Integer.MAX_VALUE / m);
      int acc = (int) rnd.nextLong((long) -limit, (long) limit);

      BigDecimal v = scaled(f, acc);
      long nearest = v.setScale(0, RoundingMode.HALF_UP).longValueExact(); // ties away from zero
      assertEquals(clampInt(v.setScale(0, RoundingMode.HALF_UP)), f.applySingleRounding(acc), f + " acc=" + acc);

      int g = f.apply(acc);
      assertTrue(Math.abs(g - Math.rint(acc * m)) <= 1, f + " acc=" + acc + " -> " + g);
      // gemmlowp: exact unless v is within 2^-(n+1) of a half-integer.
      BigDecimal frac = v.subtract(new BigDecimal(v.toBigInteger())).abs();
      BigDecimal tieDist = frac.subtract(new BigDecimal("0.5")).abs();
      BigDecimal hazard = f.shift() > 0 ? scaled(FixedPointMultiplier.of(1 << 30, f.shift()), 1)
          : BigDecimal.ZERO; // = 2^30 * 2^(-31-n) = 2^-(n+1)
      if (tieDist.compareTo(hazard) > 0) {
        assertEquals(nearest, g, f + " acc=" + acc);
      } else {
        nearTies++;
        assertTrue(Math.abs(g - nearest) <= 1);
      }
    }
    // The hazard band has width 2^-n around each tie, so with n spread over 1..20 about 4-5% of
    // random cases fall in it; the assertions above still bound them within 1.
    assertTrue(nearTies < cases / 10, "near ties " + nearTies);
  }

  @Test
  void typicalCasesAreExact() {
    // s_in * s_w / s_out for realistic INT8 scales; accumulators of 64-wide int8 dot products.
    SplittableRandom rnd = new SplittableRandom(12);
    int mismatches = 0;
    for (int c = 0; c < 5000; c++) {
      double sIn = rnd.nextDouble(1e-3, 5e-2);
      double sW = rnd.nextDouble(1e-4, 1e-2);
      double sOut = rnd.nextDouble(1e-3, 5e-2);
      float m = (float) (sIn * sW / sOut);
      FixedPointMultiplier f = FixedPointMultiplier.of(m);
      int acc = rnd.nextInt(-64 * 128 * 128, 64 * 128 * 128);
      double v = acc * (double) m;
      long expected = Math.round(Math.abs(v)) * (acc < 0 ? -1 : 1);
      // m0 carries a relative error of at most 2^-31; skip values that close to a tie.
      if (Math.abs(Math.abs(v) % 1 - 0.5) > Math.abs(v) * 0x1.0p-30 + 1e-9) {
        assertEquals(expected, f.applySingleRounding(acc), f + " acc=" + acc);
        mismatches += f.apply(acc) == expected ? 0 : 1;
      }
    }
    assertTrue(mismatches < 50, "gemmlowp double-rounding mismatches: " + mismatches);
  }

  @Test
  void documentedRoundingExamples() {
    FixedPointMultiplier half = FixedPointMultiplier.of(0.5);
    assertEquals(1 << 30, half.multiplier());
    assertEquals(0, half.shift());
    assertEquals(2, half.apply(3)); // 1.5: the high multiply's ties go toward +infinity
    assertEquals(-1, half.apply(-3)); // -1.5 -> -1
    assertEquals(2, half.applySingleRounding(3)); // ties away from zero
    assertEquals(-2, half.applySingleRounding(-3));

    FixedPointMultiplier quarter = FixedPointMultiplier.of(0.25);
    assertEquals(1, quarter.shift());
    assertEquals(2, quarter.apply(5)); // 1.25: double rounding 2.5 -> 3, then 1.5 -> 2
    assertEquals(1, quarter.applySingleRounding(5));
    assertEquals(-2, quarter.apply(-6)); // -1.5: the shift's ties go away from zero
    assertEquals(-2, quarter.applySingleRounding(-6));

    FixedPointMultiplier three = FixedPointMultiplier.of(3.0);
    assertEquals(-2, three.shift());
    assertEquals(21, three.apply(7));
    assertEquals(Integer.MAX_VALUE, three.apply(1 << 30)); // saturates
    assertEquals(Integer.MIN_VALUE, three.applySingleRounding(-(1 << 30)));
    assertEquals(0, FixedPointMultiplier.of(0x1.0p-32).apply(Integer.MAX_VALUE / 2));
  }

  @Test
  void gemmlowpPrimitives() {
    assertEquals(Integer.MAX_VALUE,
        FixedPointMultiplier.saturatingRoundingDoublingHighMul(Integer.MIN_VALUE, Integer.MIN_VALUE));
    assertEquals(1 << 29, FixedPointMultiplier.saturatingRoundingDoublingHighMul(1 << 30, 1 << 30));
    assertEquals(3, FixedPointMultiplier.roundingDivideByPowerOfTwo(5, 1)); // 2.5 -> 3
    assertEquals(-3, FixedPointMultiplier.roundingDivideByPowerOfTwo(-5, 1)); // -2.5 -> -3
    assertEquals(-2, FixedPointMultiplier.roundingDivideByPowerOfTwo(-9, 2)); // -2.25 -> -2
    assertEquals(-1, FixedPointMultiplier.roundingDivideByPowerOfTwo(Integer.MIN_VALUE, 31));
    assertThrows(IllegalArgumentException.class, () -> FixedPointMultiplier.roundingDivideByPowerOfTwo(1, 32));
  }

  @Test
  void badMultipliersAreRejected() {
    for (double m : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY, 0x1.0p-33, 0x1.0p31}) {
      assertThrows(DqInputException.class, () -> FixedPointMultiplier.of(m), "m=" + m);
    }
    assertThrows(DqInputException.class, () -> FixedPointMultiplier.of(12345, 0));
    assertThrows(DqInputException.class, () -> FixedPointMultiplier.of(1 << 30, 32));
    FixedPointMultiplier f = FixedPointMultiplier.of(0.1234);
    assertEquals(f, FixedPointMultiplier.of(f.multiplier(), f.shift()));
  }
}
