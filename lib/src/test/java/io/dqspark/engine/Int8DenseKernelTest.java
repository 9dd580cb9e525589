package io.dqspark.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dqspark.quant.FixedPointMultiplier;
import io.dqspark.util.DqInputException;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class Int8DenseKernelTest {
  private static final int[] ROWS = {0, 1, 2, 5};
  /** Around the vector lengths (8, 16 int lanes; 4 x 16 column blocks) and off them. */
  private static final int[] KS = {1, 3, 15, 16, 17, 64, 65, 100};
  private static final int[] NS = {1, 7, 15, 16, 17, 33, 64, 65, 100, 130};

  static java.util.stream.Stream<Int8Kernels> kernels() {
    return EngineTestData.int8Kernels();
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void denseMatchesLongReferenceOnAwkwardShapes(Int8Kernels kernels) {
    SplittableRandom rnd = new SplittableRandom(1);
    int cases = 0;
    for (int rows : ROWS) {
      for (int k : KS) {
        for (int n : NS) {
          int mode = cases % 3;
          int[] zps = EngineTestData.zeroPoints(rnd);
          int zx = zps[cases % 4];
          int zw = zps[(cases / 4) % 4];
          byte[] x = EngineTestData.codes(rnd, rows * k, mode);
          byte[] w = EngineTestData.codes(rnd, k * n, mode);
          int[] bias = cases % 5 == 0 ? null : rnd.ints(n, -1 << 20, 1 << 20).toArray();
          Int8DenseWeights packed = Int8DenseWeights.pack(w, k, n, zw, bias, zx);
          int[] expected = EngineTestData.toIntExact(
              EngineTestData.denseReference(x, rows, k, w, n, zx, zw, bias));
          int[] out = new int[rows * n + 3];
          Arrays.fill(out, 0x5a5a5a5a);
          kernels.dense(x, rows, packed, out);
          String what = kernels.name() + " rows=" + rows + " k=" + k + " n=" + n + " zx=" + zx + " zw=" + zw;
          assertArrayEquals(expected, Arrays.copyOf(out, rows * n), what);
          assertArrayEquals(new int[] {0x5a5a5a5a, 0x5a5a5a5a, 0x5a5a5a5a},
              Arrays.copyOfRange(out, rows * n, rows * n + 3), what + ": wrote past the output");
          cases++;
        }
      }
    }
  }

  /** Extreme codes against extreme zero points: every product is +-255 * 255. */
  @ParameterizedTest
  @MethodSource("kernels")
  void extremeCodesAndZeroPoints(Int8Kernels kernels) {
    int k = 67;
    int n = 35;
    int rows = 3;
    for (int zx : new int[] {-128, 127}) {
      for (int zw : new int[] {-128, 127}) {
        byte[] x = new byte[rows * k];
        Arrays.fill(x, (byte) (zx == -128 ? 127 : -128));
        byte[] w = new byte[k * n];
        Arrays.fill(w, (byte) (zw == -128 ? 127 : -128));
        w[5] = (byte) zw; // one zero weight
        int[] out = new int[rows * n];
        kernels.dense(x, rows, Int8DenseWeights.pack(w, k, n, zw, null, zx), out);
        assertArrayEquals(EngineTestData.toIntExact(
            EngineTestData.denseReference(x, rows, k, w, n, zx, zw, null)), out, "zx=" + zx + " zw=" + zw);
      }
    }
  }

  /** Beyond int32 the sums wrap, identically on both paths (k = 70,000 of +-255 * 255). */
  @Test
  void overflowWrapsIdenticallyOnBothPaths() {
    int k = 70_000;
    int n = 17;
    int rows = 3;
    SplittableRandom rnd = new SplittableRandom(3);
    byte[] x = EngineTestData.codes(rnd, rows * k, 1);
    byte[] w = new byte[k * n];
    Arrays.fill(w, (byte) 127);
    Int8DenseWeights packed = Int8DenseWeights.pack(w, k, n, -128, null, 127);
    int[] scalar = new int[rows * n];
    int[] vector = new int[rows * n];
    Kernels.scalarInt8().dense(x, rows, packed, scalar);
    EngineTestData.vectorInt8().dense(x, rows, packed, vector);
    assertArrayEquals(scalar, vector);
    long[] exact = EngineTestData.denseReference(x, rows, k, w, n, 127, -128, null);
    for (int i = 0; i < exact.length; i++) {
      org.junit.jupiter.api.Assertions.assertEquals((int) exact[i], scalar[i]); // low 32 bits
    }
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void denseRequantizeEqualsDenseThenRequantize(Int8Kernels kernels) {
    SplittableRandom rnd = new SplittableRandom(4);
    for (int c = 0; c < 60; c++) {
      int rows = rnd.nextInt(0, 6);
      int k = KS[rnd.nextInt(KS.length)];
      int n = NS[rnd.nextInt(NS.length)];
      int zx = rnd.nextInt(-128, 128);
      byte[] x = EngineTestData.codes(rnd, rows * k, c % 3);
      byte[] w = EngineTestData.codes(rnd, k * n, c % 3);
      Int8DenseWeights packed = Int8DenseWeights.pack(w, k, n, rnd.nextInt(-128, 128),
          rnd.ints(n, -5000, 5000).toArray(), zx);
      int qmin = c % 2 == 0 ? -128 : -100;
      Requantizer rq = Requantizer.of(FixedPointMultiplier.of(Math.pow(2, rnd.nextDouble(-16, -4))),
          rnd.nextInt(qmin, 128), qmin, 127, c % 4 == 1);
      int[] acc = new int[rows * n];
      kernels.dense(x, rows, packed, acc);
      byte[] expected = new byte[rows * n];
      for (int i = 0; i < acc.length; i++) {
        expected[i] = (byte) rq.apply(acc[i]);
      }
      byte[] out = new byte[rows * n];
      kernels.denseRequantize(x, rows, packed, rq, out);
      assertArrayEquals(expected, out, kernels.name() + " case " + c);
    }
  }

  @Test
  void badArgumentsAreRejected() {
    byte[] w = new byte[12];
    assertThrows(DqInputException.class, () -> Int8DenseWeights.pack(w, 3, 5, 0, null, 0));
    assertThrows(DqInputException.class, () -> Int8DenseWeights.pack(w, 3, 4, 128, null, 0));
    assertThrows(DqInputException.class, () -> Int8DenseWeights.pack(w, 3, 4, 0, new int[3], 0));
    assertThrows(DqInputException.class, () -> Int8DenseWeights.pack(w, 3, 4, 0, null, -129));
    Int8DenseWeights packed = Int8DenseWeights.pack(w, 3, 4, 0, null, 0);
    EngineTestData.availableInt8Kernels().forEach(kernels -> {
      assertThrows(DqInputException.class, () -> kernels.dense(new byte[5], 2, packed, new int[8]));
      assertThrows(DqInputException.class, () -> kernels.dense(new byte[6], 2, packed, new int[7]));
    });
  }
}
