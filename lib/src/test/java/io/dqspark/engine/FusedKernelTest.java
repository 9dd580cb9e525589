package io.dqspark.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dqspark.quant.FixedPointMultiplier;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The default arithmetic's fused kernels (design §5.6): the vector implementation selected on this
 * CPU equals the scalar reference bit for bit, on widths that are and are not multiples of the
 * vector lanes, targets with no in-edges and with more than {@link FusedInt8Kernels#SHORT_CHUNK}
 * (the 16-bit chunking), extreme codes and zero points. The FP32 engine's fused tails are checked
 * the same way, and the float requantization against the exact fixed-point one.
 */
class FusedKernelTest {
  private static final int[] WIDTHS = {1, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 128};
  private static final FusedInt8Kernels SCALAR = FusedInt8Kernels.scalar();
  /** The kernels this JVM selected (vector where the module runs): each is checked against scalar. */
  private static final java.util.List<FusedInt8Kernels> CANDIDATES =
      java.util.List.of(FusedInt8Kernels.selected());

  @Test
  void theVectorKernelsAreSelectedWhereTheVectorModuleRuns() {
    System.out.println("fused kernels on " + CpuInfo.get().summary() + ": " + Kernels.description());
    assertEquals(Kernels.vectorized() ? "vector" : "scalar", FusedInt8Kernels.selected().name());
  }

  /** A random graph with one isolated target and one target of 600 in-edges. */
  private static CsrAdjacency graph(SplittableRandom rnd, int nodes) {
    int[] degree = new int[nodes];
    for (int v = 0; v < nodes; v++) {
      degree[v] = v == 0 ? 0 : v == 1 ? 600 : rnd.nextInt(0, 12);
    }
    int[] rowPtr = new int[nodes + 1];
    for (int v = 0; v < nodes; v++) {
      rowPtr[v + 1] = rowPtr[v] + degree[v];
    }
    int[] col = new int[rowPtr[nodes]];
    for (int e = 0; e < col.length; e++) {
      col[e] = rnd.nextInt(nodes);
    }
    return CsrAdjacency.of(rowPtr, col, nodes);
  }

  /** Codes from the whole range, with runs of the extremes. */
  private static byte[] codes(SplittableRandom rnd, int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      int kind = rnd.nextInt(8);
      b[i] = (byte) (kind == 0 ? 127 : kind == 1 ? -128 : rnd.nextInt(-128, 128));
    }
    return b;
  }

  private static FloatRequant requant(SplittableRandom rnd, boolean relu) {
    int zp = rnd.nextInt(-128, 128);
    return new FloatRequant((float) Math.scalb(rnd.nextDouble(0.5, 1), -rnd.nextInt(2, 16)), zp,
        relu ? zp : -128, 127);
  }

  @Test
  void gcnAggregateEqualsTheScalarReference() {
    SplittableRandom rnd = new SplittableRandom(1);
    for (int w : WIDTHS) {
      for (int zc : new int[] {-128, 0, 127}) {
        CsrAdjacency g = graph(rnd, 40);
        byte[] c = codes(rnd, g.edges());
        byte[] x = codes(rnd, 40 * w);
        int[] bias = rnd.ints(w, -40000, 40000).toArray();
        FloatRequant agg = requant(rnd, false);
        FloatRequant out = requant(rnd, rnd.nextBoolean());
        int zx = rnd.nextInt(-128, 128);
        int za = rnd.nextInt(-128, 128);
        byte[] a = new byte[40 * w];
        byte[] b = new byte[40 * w];
        SCALAR.gcnAggregate(g, c, zc, x, w, zx, agg, za, 3, bias, out, a);
        for (FusedInt8Kernels v : CANDIDATES) {
          v.gcnAggregate(g, c, zc, x, w, zx, agg, za, 3, bias, out, b);
          assertArrayEquals(a, b, v.name() + ": width " + w + ", zc " + zc);
        }
      }
    }
  }

  @Test
  void ginAggregateEqualsTheScalarReferenceWithEverySelfTerm() {
    SplittableRandom rnd = new SplittableRandom(2);
    float[] table = new float[256];
    for (int i = 0; i < 256; i++) {
      table[i] = (float) rnd.nextDouble(-50, 50);
    }
    for (int w : WIDTHS) {
      for (int self = 0; self < 3; self++) {
        CsrAdjacency g = graph(rnd, 30);
        byte[] m = codes(rnd, 30 * w);
        byte[] x = codes(rnd, 30 * w);
        float[] f = new float[30 * w];
        for (int i = 0; i < f.length; i++) {
          f[i] = (float) rnd.nextDouble(-3, 3);
        }
        FloatRequant agg = requant(rnd, false);
        FloatRequant next = requant(rnd, false);
        int zm = rnd.nextInt(-128, 128);
        int za = rnd.nextInt(-128, 128);
        byte[] a = new byte[30 * w];
        byte[] b = new byte[30 * w];
        float[] features = self == 1 ? f : null;
        float[] lut = self == 2 ? table : null;
        SCALAR.ginAggregate(g, m, w, zm, agg, za, 4, features, 7.5f, x, lut, next, a);
        for (FusedInt8Kernels v : CANDIDATES) {
          v.ginAggregate(g, m, w, zm, agg, za, 4, features, 7.5f, x, lut, next, b);
          assertArrayEquals(a, b, v.name() + ": width " + w + ", self source " + self);
        }
      }
    }
  }

  @Test
  void sixteenBitChunksSumExactlyOverMoreThan256Edges() {
    // 600 in-edges all carrying 127 (and all -128): any 16-bit overflow would show
    int w = 64;
    int[] rowPtr = {0, 600};
    int[] col = new int[600];
    CsrAdjacency g = CsrAdjacency.of(rowPtr, col, 1);
    FloatRequant identity = new FloatRequant(1f / 1024, 0, -128, 127);
    for (byte code : new byte[] {127, -128}) {
      byte[] m = new byte[w];
      java.util.Arrays.fill(m, code);
      byte[] a = new byte[w];
      byte[] b = new byte[w];
      SCALAR.ginAggregate(g, m, w, 0, identity, 0, 0, null, 0f, null, null,
          new FloatRequant(1f, 0, -128, 127), a);
      for (FusedInt8Kernels v : CANDIDATES) {
        v.ginAggregate(g, m, w, 0, identity, 0, 0, null, 0f, null, null,
            new FloatRequant(1f, 0, -128, 127), b);
        assertArrayEquals(a, b, v.name());
      }
      assertEquals(Math.round(600.0 * code / 1024), a[0], "the sum of 600 codes is exact");
    }
  }

  @Test
  void denseRequantizeEqualsTheScalarReference() {
    SplittableRandom rnd = new SplittableRandom(3);
    byte[] lut = codes(rnd, 256);
    for (int n : WIDTHS) {
      for (int k : new int[] {1, 5, 64, 257}) {
        int rows = 9;
        byte[] w = codes(rnd, k * n);
        Int8DenseWeights packed = Int8DenseWeights.pack(w, k, n, rnd.nextInt(-128, 128),
            rnd.ints(n, -100000, 100000).toArray(), rnd.nextInt(-128, 128));
        byte[] x = codes(rnd, rows * k);
        FloatRequant rq = new FloatRequant((float) Math.scalb(1.0, -12), rnd.nextInt(-128, 128), -128, 127);
        for (byte[] table : new byte[][] {null, lut}) {
          byte[] a = new byte[rows * n];
          byte[] b = new byte[rows * n];
          SCALAR.denseRequantize(x, rows, packed, rq, table, a);
          for (FusedInt8Kernels v : CANDIDATES) {
            v.denseRequantize(x, rows, packed, rq, table, b);
            assertArrayEquals(a, b, v.name() + ": k " + k + ", n " + n
                + (table == null ? "" : ", with a code table"));
          }
        }
      }
    }
  }

  @Test
  void quantizeEqualsTheTrainingQuantizerOnAwkwardFloatsAndNaN() {
    SplittableRandom rnd = new SplittableRandom(4);
    float[] x = new float[1003];
    for (int i = 0; i < x.length; i++) {
      int kind = rnd.nextInt(6);
      x[i] = kind == 0 ? (float) rnd.nextInt(-300, 300) * 0.5f // ties
          : kind == 1 ? (rnd.nextBoolean() ? Float.MAX_VALUE : -Float.MAX_VALUE)
          : kind == 2 ? (rnd.nextBoolean() ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY)
          : kind == 3 ? (rnd.nextBoolean() ? -0f : Float.NaN) : (float) rnd.nextDouble(-200, 200);
    }
    io.dqspark.quant.QuantParams p = io.dqspark.quant.QuantParams.fromRange(8, false, -37.5, 90.25);
    int offset = 128;
    byte[] a = new byte[x.length];
    byte[] b = new byte[x.length];
    SCALAR.quantize(x, p.invScale(), p.zeroPoint(), p.qmin(), p.qmax(), offset, a);
    for (FusedInt8Kernels v : CANDIDATES) {
      v.quantize(x, p.invScale(), p.zeroPoint(), p.qmin(), p.qmax(), offset, b);
      assertArrayEquals(a, b, v.name());
    }
    for (int i = 0; i < x.length; i++) {
      assertEquals(io.dqspark.quant.FakeQuantizer.quantize(p, x[i]) - offset, a[i], "x = " + x[i]);
    }
  }

  @Test
  void floatRequantizationIsWithinOneStepOfTheExactOne() {
    SplittableRandom rnd = new SplittableRandom(5);
    int differ = 0;
    int n = 200_000;
    for (int i = 0; i < n; i++) {
      double m = Math.scalb(rnd.nextDouble(0.5, 1), -rnd.nextInt(1, 20));
      Requantizer exact = Requantizer.of(FixedPointMultiplier.of(m), rnd.nextInt(-128, 128), -128, 127, false);
      FloatRequant fast = FloatRequant.of(exact);
      int acc = rnd.nextInt(-(1 << 22), 1 << 22);
      int d = Math.abs(exact.apply(acc) - fast.apply(acc));
      assertTrue(d <= 1, "acc " + acc + " with " + exact);
      differ += d;
    }
    System.out.println("float vs fixed-point requantization: " + differ + " of " + n + " differ by one step");
    assertTrue(differ < n / 1000, differ + " of " + n);
  }

  @Test
  void fusedFloatTailsEqualTheScalarReference() {
    SplittableRandom rnd = new SplittableRandom(6);
    FloatKernels scalar = Kernels.scalarFp32();
    for (FloatKernels vector : java.util.List.of(Kernels.fp32())) {
    for (int w : WIDTHS) {
      CsrAdjacency g = graph(rnd, 25);
      float[] x = new float[25 * w];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) rnd.nextDouble(-2, 2);
      }
      float[] ew = new float[g.edges()];
      for (int e = 0; e < ew.length; e++) {
        ew[e] = (float) rnd.nextDouble(0, 1);
      }
      float[] bias = new float[w];
      for (int j = 0; j < w; j++) {
        bias[j] = (float) rnd.nextDouble(-1, 1);
      }
      for (float self : new float[] {0f, 1.25f}) {
        for (boolean relu : new boolean[] {false, true}) {
          for (float[] weights : new float[][] {null, ew}) {
            float[] a = new float[25 * w];
            float[] b = new float[25 * w];
            scalar.aggregate(g, weights, x, w, self, bias, relu, a);
            vector.aggregate(g, weights, x, w, self, bias, relu, b);
            assertArrayEquals(a, b, "width " + w + " self " + self + " relu " + relu);
          }
        }
      }
      FloatDenseWeights dw = FloatDenseWeights.pack(x.clone(), 25, w, bias);
      float[] in = new float[3 * 25];
      for (int i = 0; i < in.length; i++) {
        in[i] = (float) rnd.nextDouble(-1, 1);
      }
      float[] a = new float[3 * w];
      float[] b = new float[3 * w];
      scalar.dense(in, 3, dw, true, a);
      vector.dense(in, 3, dw, true, b);
      assertArrayEquals(a, b, "dense + relu, width " + w);
      for (float v : a) {
        assertTrue(v >= 0f);
      }
    }
    }
  }
}
