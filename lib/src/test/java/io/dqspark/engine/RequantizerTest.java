package io.dqspark.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dqspark.quant.FixedPointMultiplier;
import io.dqspark.util.DqInputException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RequantizerTest {
  static Stream<Int8Kernels> kernels() {
    return EngineTestData.int8Kernels();
  }

  /** {@code clamp(nearest(acc * m0 * 2^(-31-n)) + zp)} with ties away from zero, in exact decimals. */
  private static int exact(FixedPointMultiplier f, int acc, int zp, int lo, int hi) {
    int s = 31 + f.shift();
    BigDecimal v = BigDecimal.valueOf((long) acc * f.multiplier())
        .multiply(BigDecimal.valueOf(5).pow(s)).scaleByPowerOfTen(-s); // exact division by 2^s
    long q = v.setScale(0, RoundingMode.HALF_UP).longValueExact() + zp;
    return (int) Math.max(lo, Math.min(hi, q));
  }

  @Test
  void applyEqualsExactRationalRounding() {
    SplittableRandom rnd = new SplittableRandom(20);
    for (int c = 0; c < 20_000; c++) {
      FixedPointMultiplier f = c % 50 == 0
          ? FixedPointMultiplier.of(1 << 30 | rnd.nextInt(1 << 30), rnd.nextInt(-31, 32))
          : FixedPointMultiplier.of(Math.pow(2, rnd.nextDouble(-24, 2)));
      // Accumulators whose scaled value lands in or near the int8 range, plus arbitrary ones.
      int acc;
      if (c % 3 == 0) {
        acc = rnd.nextInt();
      } else {
        double target = rnd.nextDouble(-300, 300);
        acc = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, Math.rint(target / f.value())));
      }
      boolean relu = c % 4 == 0;
      int qmin = c % 5 == 0 ? -100 : -128;
      int qmax = c % 7 == 0 ? 100 : 127;
      int zp = rnd.nextInt(qmin, qmax + 1);
      Requantizer rq = Requantizer.of(f, zp, qmin, qmax, relu);
      int lo = relu ? zp : qmin;
      int expected = exact(f, acc, zp, lo, qmax);
      String what = rq + " acc=" + acc;
      assertEquals(expected, rq.apply(acc), what);
      assertEquals(expected, (int) Math.max(lo, Math.min(qmax, (long) f.applySingleRounding(acc) + zp)), what);
    }
  }

  /** Exact ties: acc * M = h + 1/2 goes away from zero, for every shift where that is representable. */
  @Test
  void tiesGoAwayFromZero() {
    for (int shift = -31; shift <= 31; shift++) {
      FixedPointMultiplier f = FixedPointMultiplier.of(1 << 30, shift); // M = 2^(-1-shift)
      Requantizer rq = Requantizer.of(f, 0, -128, 127, false);
      if (shift >= 0 && shift <= 6) {
        int unit = 1 << (shift + 1); // acc = unit * (h + 1/2)
        for (int h = 0; h < 100; h++) {
          int acc = unit * h + unit / 2;
          assertEquals(Math.min(127, h + 1), rq.apply(acc), "shift " + shift + " h " + h);
          assertEquals(Math.max(-128, -h - 1), rq.apply(-acc), "shift " + shift + " h " + h);
        }
      }
      for (int acc : new int[] {Integer.MIN_VALUE, Integer.MIN_VALUE + 1, -1, 0, 1, Integer.MAX_VALUE}) {
        assertEquals(exact(f, acc, 0, -128, 127), rq.apply(acc), "shift " + shift + " acc " + acc);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void requantizeKernelAppliesTheRequantizer(Int8Kernels kernels) {
    SplittableRandom rnd = new SplittableRandom(21);
    for (int c = 0; c < 400; c++) {
      int length = rnd.nextInt(0, 70);
      int accOffset = rnd.nextInt(0, 9);
      int outOffset = rnd.nextInt(0, 9);
      int[] acc = new int[accOffset + length + rnd.nextInt(0, 3)];
      for (int i = 0; i < acc.length; i++) {
        acc[i] = c % 3 == 0 ? rnd.nextInt() : rnd.nextInt(-1 << 16, 1 << 16);
      }
      FixedPointMultiplier f = c % 13 == 0
          ? FixedPointMultiplier.of(1 << 30 | rnd.nextInt(1 << 30), rnd.nextInt(-31, 32))
          : FixedPointMultiplier.of(Math.pow(2, rnd.nextDouble(-16, 0)));
      Requantizer rq = Requantizer.of(f, rnd.nextInt(-128, 128), -128, 127, c % 2 == 0);
      byte[] out = new byte[outOffset + length + 2];
      byte[] expected = new byte[out.length];
      java.util.Arrays.fill(out, (byte) 77);
      java.util.Arrays.fill(expected, (byte) 77);
      for (int i = 0; i < length; i++) {
        expected[outOffset + i] = (byte) rq.apply(acc[accOffset + i]);
      }
      kernels.requantize(acc, accOffset, out, outOffset, length, rq);
      assertArrayEquals(expected, out, kernels.name() + " " + rq + " case " + c);
    }
  }

  /** Exact ties of both signs through the kernels (random accumulators almost never hit one). */
  @ParameterizedTest
  @MethodSource("kernels")
  void requantizeKernelRoundsTiesAwayFromZero(Int8Kernels kernels) {
    for (int shift = 0; shift <= 8; shift++) {
      Requantizer rq = Requantizer.of(FixedPointMultiplier.of(1 << 30, shift), 3, -128, 127, false);
      int unit = 1 << (shift + 1); // M = 1 / unit
      int[] acc = new int[61];
      for (int i = 0; i < acc.length; i++) {
        int h = i / 2 - 15;
        acc[i] = (i % 2 == 0 ? 1 : -1) * (unit * Math.abs(h) + unit / 2); // +-(|h| + 1/2) after scaling
      }
      byte[] out = new byte[acc.length];
      kernels.requantize(acc, 0, out, 0, acc.length, rq);
      for (int i = 0; i < acc.length; i++) {
        int h = Math.abs(i / 2 - 15);
        int expected = 3 + (i % 2 == 0 ? h + 1 : -h - 1);
        assertEquals(expected, out[i], kernels.name() + " shift " + shift + " acc " + acc[i]);
      }
    }
  }

  @Test
  void badParametersAreRejected() {
    FixedPointMultiplier f = FixedPointMultiplier.of(0.01);
    assertThrows(DqInputException.class, () -> Requantizer.of(f, 0, -129, 127, false));
    assertThrows(DqInputException.class, () -> Requantizer.of(f, 0, 0, 255, false));
    assertThrows(DqInputException.class, () -> Requantizer.of(f, -1, 0, 127, false));
    assertThrows(DqInputException.class, () -> Requantizer.of(null, 0, -128, 127, false));
    assertEquals(5, Requantizer.of(f, 5, -128, 127, true).lo());
    EngineTestData.availableInt8Kernels().forEach(k -> assertThrows(DqInputException.class,
        () -> k.requantize(new int[4], 1, new byte[4], 0, 4, Requantizer.of(f, 0, -128, 127, false))));
  }
}
