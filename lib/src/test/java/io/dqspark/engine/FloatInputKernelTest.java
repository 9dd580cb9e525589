package io.dqspark.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dqspark.quant.FakeQuantizer;
import io.dqspark.quant.QuantParams;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kernels that bring float inputs into the integer domain, on every kernel implementation and
 * repeated until the vector path is compiled: {@link Int8Kernels#quantize} equals the training fake
 * quantizer code for code (exact rounding ties, values far outside the range, signed zeros, NaN,
 * infinities, signed and unsigned sites); {@link Int8Kernels#roundScaled} equals its double
 * definition (ties, clamping at the bound).
 */
class FloatInputKernelTest {
  static Stream<Int8Kernels> kernels() {
    return EngineTestData.int8Kernels();
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void codesEqualTheFakeQuantizerCodeForCode(Int8Kernels k) {
    SplittableRandom rnd = new SplittableRandom(71);
    for (int round = 0; round < 4000; round++) {
      boolean signed = round % 2 == 0;
      int bits = round % 3 == 0 ? 4 : 8;
      float lo = (float) -rnd.nextDouble(0, 50);
      float hi = (float) rnd.nextDouble(0.01, 50);
      QuantParams p = QuantParams.fromRange(bits, signed, lo, hi);
      int offset = signed ? 0 : 128;
      int n = 1 + rnd.nextInt(200);
      float[] x = new float[n];
      for (int i = 0; i < n; i++) {
        switch (rnd.nextInt(8)) {
          case 0 -> x[i] = (float) ((rnd.nextInt(-300, 300) + 0.5 - p.zeroPoint()) * p.scale()); // near ties
          case 1 -> x[i] = (float) rnd.nextDouble(-1e30, 1e30);
          case 2 -> x[i] = rnd.nextBoolean() ? -0.0f : 0.0f;
          case 3 -> x[i] = rnd.nextInt(4) == 0 ? Float.NaN : rnd.nextBoolean()
              ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY;
          default -> x[i] = (float) rnd.nextDouble(lo * 1.2, hi * 1.2);
        }
      }
      byte[] out = new byte[n];
      k.quantize(x, p, offset, out);
      for (int i = 0; i < n; i++) {
        assertEquals(FakeQuantizer.quantize(p, x[i]) - offset, out[i],
            k.name() + " " + p + ": x = " + x[i] + " (" + Float.floatToRawIntBits(x[i]) + ")");
      }
    }
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void roundScaledEqualsTheDoubleDefinition(Int8Kernels k) {
    SplittableRandom rnd = new SplittableRandom(72);
    for (int round = 0; round < 4000; round++) {
      double factor = Math.scalb(rnd.nextDouble(0.5, 1), rnd.nextInt(-4, 20)) * (rnd.nextBoolean() ? 1 : -1);
      double bound = round % 5 == 0 ? Integer.MAX_VALUE : Math.rint(rnd.nextDouble(0, 1e6));
      int n = 1 + rnd.nextInt(100);
      float[] x = new float[n];
      for (int i = 0; i < n; i++) {
        switch (rnd.nextInt(4)) {
          case 0 -> x[i] = (float) ((rnd.nextInt(-1000, 1000) + 0.5) / factor); // near ties
          case 1 -> x[i] = (float) rnd.nextDouble(-1e30, 1e30); // clamped
          default -> x[i] = (float) rnd.nextDouble(-100, 100);
        }
      }
      int[] out = new int[n];
      k.roundScaled(x, factor, bound, out);
      for (int i = 0; i < n; i++) {
        int want = (int) Math.rint(Math.max(-bound, Math.min(bound, factor * x[i])));
        assertEquals(want, out[i], k.name() + ": factor " + factor + " bound " + bound + " x " + x[i]);
      }
    }
  }
}
