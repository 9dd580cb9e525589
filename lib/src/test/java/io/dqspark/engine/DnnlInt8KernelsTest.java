package io.dqspark.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.dqspark.quant.FixedPointMultiplier;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The oneDNN dense product against the scalar reference where it differs from the Java kernels:
 * row counts across its chunks (full chunks plus a tail), weights whose centred codes fit int8
 * (no row sums) and weights that need the all-ones column, and int32 wrap-around. The shared
 * kernel tests (awkward shapes, extreme codes) run it too, through {@link EngineTestData}. Skipped,
 * with the reason printed, where oneDNN does not load or the self-check refused it on this CPU.
 */
class DnnlInt8KernelsTest {
  private static Int8Kernels dnnl() {
    return EngineTestData.nativeOrSkip();
  }

  @Test
  void rowsAcrossChunksEqualScalar() {
    Int8Kernels dnnl = dnnl();
    SplittableRandom rnd = new SplittableRandom(11);
    int c = DnnlInt8Kernels.CHUNK;
    int[][] shapes = {{c, 64, 64}, {2 * c + 37, 64, 64}, {c - 1, 33, 7}, {3 * c + 1, 1, 130}};
    for (int[] s : shapes) {
      for (int mode = 0; mode < 3; mode++) {
        int rows = s[0];
        int k = s[1];
        int n = s[2];
        byte[] x = EngineTestData.codes(rnd, rows * k, mode);
        byte[] w = EngineTestData.codes(rnd, k * n, mode);
        // mode 2 codes are in [-8, 8]: with zw = 3 the centred weights fit int8 (no row sums)
        int zw = mode == 2 ? 3 : rnd.nextInt(-128, 128);
        int zx = rnd.nextInt(-128, 128);
        Int8DenseWeights packed = Int8DenseWeights.pack(w, k, n, zw, rnd.ints(n, -99999, 99999).toArray(), zx);
        int[] expected = new int[rows * n];
        Kernels.scalarInt8().dense(x, rows, packed, expected);
        int[] got = new int[rows * n];
        dnnl.dense(x, rows, packed, got);
        String what = "rows=" + rows + " k=" + k + " n=" + n + " zw=" + zw + " zx=" + zx + " mode=" + mode;
        assertArrayEquals(expected, got, what);

        Requantizer rq = Requantizer.of(FixedPointMultiplier.of(Math.pow(2, rnd.nextDouble(-14, -6))),
            rnd.nextInt(-128, 128), -128, 127, mode == 1);
        byte[] expectedQ = new byte[rows * n];
        Kernels.scalarInt8().denseRequantize(x, rows, packed, rq, expectedQ);
        byte[] gotQ = new byte[rows * n + 5];
        Arrays.fill(gotQ, (byte) 77);
        dnnl.denseRequantize(x, rows, packed, rq, gotQ);
        assertArrayEquals(expectedQ, Arrays.copyOf(gotQ, rows * n), what + " requantized");
        assertArrayEquals(new byte[] {77, 77, 77, 77, 77}, Arrays.copyOfRange(gotQ, rows * n, rows * n + 5),
            what + ": wrote past the output");
      }
    }
  }

  /** Sums beyond int32 wrap exactly as the Java kernels' do (k = 70,000 of extreme codes). */
  @Test
  void overflowWrapsAsTheReference() {
    Int8Kernels dnnl = dnnl();
    int k = 70_000;
    int n = 17;
    int rows = 3;
    SplittableRandom rnd = new SplittableRandom(3);
    byte[] x = EngineTestData.codes(rnd, rows * k, 1);
    for (int zw : new int[] {-128, 0, 127}) {
      byte[] w = EngineTestData.codes(rnd, k * n, 1);
      Int8DenseWeights packed = Int8DenseWeights.pack(w, k, n, zw, null, 127);
      int[] scalar = new int[rows * n];
      int[] native8 = new int[rows * n];
      Kernels.scalarInt8().dense(x, rows, packed, scalar);
      dnnl.dense(x, rows, packed, native8);
      assertArrayEquals(scalar, native8, "zw=" + zw);
    }
  }
}
