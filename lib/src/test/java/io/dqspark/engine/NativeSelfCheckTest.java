package io.dqspark.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dqspark.quant.FixedPointMultiplier;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The self-check that guards the native dense product (design §5): it accepts exact kernels,
 * refuses one that saturates like oneDNN's {@code gemm:jit} without VNNI and one wrong in a single
 * value of a chunk's tail, and when it refuses, {@link Kernels#vet} hands back the pure-Java
 * kernels, which equal the scalar reference bit for bit. (A real refusal, oneDNN capped at AVX2,
 * runs in {@link KernelSelectionTest}.)
 */
class NativeSelfCheckTest {
  @Test
  void exactKernelsPass() {
    assertNull(NativeSelfCheck.firstDifference(Kernels.scalarInt8(), Kernels.scalarInt8()));
    assertNull(NativeSelfCheck.firstDifference(Kernels.javaInt8(), Kernels.scalarInt8()));
    Kernels.nativeInt8().ifPresent(k -> assertNull(NativeSelfCheck.firstDifference(k, Kernels.scalarInt8())));
  }

  @Test
  void saturatingProductIsRefusedAndThePureJavaKernelsRunInstead() {
    Int8Kernels saturating = faulty(Kernels.scalarInt8(), NativeSelfCheckTest::saturatingDense);
    Kernels.Vetted v = Kernels.vet("fake gemm:jit", saturating, Kernels.javaInt8());
    System.out.println(v.status());
    assertFalse(v.accepted());
    assertSame(Kernels.javaInt8(), v.kernels());
    assertTrue(v.status().startsWith("fake gemm:jit refused: self-check differs from the scalar reference at "
        + "extreme codes zx=0 zw=0 k=257 n=17, dense row 0 (x all 127) column 0 (w all 127): "),
        v.status());
    assertTrue(v.status().endsWith("; using pure-Java kernels (" + Kernels.javaInt8().name() + ")"), v.status());

    SplittableRandom rnd = new SplittableRandom(5);
    int[][] shapes = {{5, 257, 17}, {3, 1000, 33}, {9, 64, 64}};
    boolean fakeDiffered = false;
    for (int[] s : shapes) {
      for (int mode = 0; mode < 3; mode++) {
        int rows = s[0];
        int k = s[1];
        int n = s[2];
        byte[] x = EngineTestData.codes(rnd, rows * k, mode);
        int zx = rnd.nextInt(-128, 128);
        Int8DenseWeights w = Int8DenseWeights.pack(EngineTestData.codes(rnd, k * n, mode), k, n,
            rnd.nextInt(-128, 128), rnd.ints(n, -9999, 9999).toArray(), zx);
        int[] expected = new int[rows * n];
        Kernels.scalarInt8().dense(x, rows, w, expected);
        int[] got = new int[rows * n];
        v.kernels().dense(x, rows, w, got);
        String what = "rows=" + rows + " k=" + k + " n=" + n + " mode=" + mode;
        assertArrayEquals(expected, got, what);
        Requantizer rq = Requantizer.of(FixedPointMultiplier.of(Math.pow(2, rnd.nextDouble(-20, -8))),
            rnd.nextInt(-128, 128), -128, 127, mode == 1);
        byte[] expectedQ = new byte[rows * n];
        Kernels.scalarInt8().denseRequantize(x, rows, w, rq, expectedQ);
        byte[] gotQ = new byte[rows * n];
        v.kernels().denseRequantize(x, rows, w, rq, gotQ);
        assertArrayEquals(expectedQ, gotQ, what + " requantized");
        int[] fake = new int[rows * n];
        saturating.dense(x, rows, w, fake);
        fakeDiffered |= !Arrays.equals(expected, fake);
      }
    }
    assertTrue(fakeDiffered, "the fake kernel should have been wrong on some of these cases");
  }

  /** One value off by one, in the last row of a product longer than oneDNN's row chunk. */
  @Test
  void oneWrongValueInAChunkTailIsRefused() {
    Int8Kernels offByOne = faulty(Kernels.scalarInt8(), (x, rows, w, out) -> {
      Kernels.scalarInt8().dense(x, rows, w, out);
      if (rows > DnnlInt8Kernels.CHUNK) {
        out[out.length - 1]++;
      }
    });
    String d = NativeSelfCheck.firstDifference(offByOne, Kernels.scalarInt8());
    assertNotNull(d);
    assertTrue(d.contains("rows=4099") && d.contains("dense row 4098 column 63"), d);
  }

  /** A candidate that throws is refused, not propagated. */
  @Test
  void failingKernelIsRefused() {
    Int8Kernels broken = faulty(Kernels.scalarInt8(), (x, rows, w, out) -> {
      throw new IllegalStateException("native call failed");
    });
    String d = NativeSelfCheck.firstDifference(broken, Kernels.scalarInt8());
    assertNotNull(d);
    assertTrue(d.contains("the candidate failed with java.lang.IllegalStateException: native call failed"), d);
  }

  /** A dense product, the part of {@link Int8Kernels} the fakes replace. */
  private interface Dense {
    void dense(byte[] x, int rows, Int8DenseWeights w, int[] out);
  }

  /**
   * {@code base} with {@code dense} (and {@code denseRequantize} through it) replaced. A proxy so
   * that the fake keeps compiling as the kernel interface grows.
   */
  private static Int8Kernels faulty(Int8Kernels base, Dense dense) {
    return (Int8Kernels) Proxy.newProxyInstance(Int8Kernels.class.getClassLoader(),
        new Class<?>[] {Int8Kernels.class}, (proxy, method, args) -> {
          switch (method.getName()) {
            case "name":
              return "faulty";
            case "dense":
              dense.dense((byte[]) args[0], (int) args[1], (Int8DenseWeights) args[2], (int[]) args[3]);
              return null;
            case "denseRequantize": {
              byte[] x = (byte[]) args[0];
              int rows = (int) args[1];
              Int8DenseWeights w = (Int8DenseWeights) args[2];
              Requantizer rq = (Requantizer) args[3];
              byte[] out = (byte[]) args[4];
              int[] acc = new int[rows * w.n()];
              dense.dense(x, rows, w, acc);
              for (int i = 0; i < acc.length; i++) {
                out[i] = (byte) rq.apply(acc[i]);
              }
              return null;
            }
            default:
              try {
                return method.invoke(base, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
          }
        });
  }

  /**
   * The exact product plus the error of an int8 GEMM that, like oneDNN's {@code gemm:jit} on AVX2,
   * shifts activations to u8 ({@code x + 128}) and sums u8 x s8 products in pairs saturated to
   * int16 ({@code vpmaddubsw}) before widening.
   */
  private static void saturatingDense(byte[] x, int rows, Int8DenseWeights w, int[] out) {
    Kernels.scalarInt8().dense(x, rows, w, out);
    int k = w.k();
    int n = w.n();
    byte[] codes = w.codes();
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < n; j++) {
        int error = 0;
        for (int i = 0; i < k; i += 2) {
          int pair = (x[r * k + i] + 128) * codes[i * n + j]
              + (i + 1 < k ? (x[r * k + i + 1] + 128) * codes[(i + 1) * n + j] : 0);
          error += Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, pair)) - pair;
        }
        out[r * n + j] += error;
      }
    }
  }
}
