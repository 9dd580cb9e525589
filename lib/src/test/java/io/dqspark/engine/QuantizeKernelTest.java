package io.dqspark.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dqspark.quant.FakeQuantizer;
import io.dqspark.quant.QuantParams;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Float -> int8 codes ({@link Int8Kernels#quantize}) equals the training fake quantizer code for
 * code, on every kernel, for values at exact rounding ties, far outside the range, signed zeros,
 * NaN and infinities, with signed and unsigned sites. Repeated until the vector path is compiled.
 */
class QuantizeKernelTest {
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
}
