package io.dqspark.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dqspark.quant.FakeQuantizer;
import io.dqspark.quant.FixedPointMultiplier;
import io.dqspark.quant.QuantParams;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The integer path against the fake-quant simulation it replaces: dequantize the int8 inputs,
 * compute in double, quantize the result with the output's parameters. Integer requantization
 * rounds {@code acc * M} exactly while fake quantization rounds a float, so codes may differ by
 * one step near ties, never more.
 */
class Int8EndToEndTest {
  /** How the output is quantized: signed, signed with ReLU, unsigned after ReLU (codes shifted by -128). */
  enum Output { SIGNED, SIGNED_RELU, UNSIGNED_RELU }

  static Stream<Int8Kernels> kernels() {
    return EngineTestData.int8Kernels();
  }

  private static double[] gaussian(SplittableRandom rnd, int n, double sd, double mean) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      // Box-Muller; SplittableRandom has no nextGaussian on Java 17
      double g = Math.sqrt(-2 * Math.log(1 - rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
      v[i] = mean + sd * g;
    }
    return v;
  }

  private static QuantParams paramsOf(double[] v, boolean signed) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double d : v) {
      lo = Math.min(lo, d);
      hi = Math.max(hi, d);
    }
    return QuantParams.fromRange(8, signed, lo, hi);
  }

  private static byte[] quantize(QuantParams p, double[] v) {
    byte[] q = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      q[i] = (byte) FakeQuantizer.quantize(p, (float) v[i]);
    }
    return q;
  }

  /** Requantizer for {@code M = sIn / out.scale()} with {@code out}'s codes as signed int8. */
  private static Requantizer requantizer(double sIn, QuantParams out, Output mode) {
    int shift = out.signed() ? 0 : -128;
    return Requantizer.of(FixedPointMultiplier.of(sIn / out.scale()), out.zeroPoint() + shift,
        -128, 127, mode != Output.SIGNED);
  }

  /** Fake-quant code of {@code y} as signed int8. */
  private static int fakeQuantCode(QuantParams out, Output mode, double y) {
    double v = mode == Output.SIGNED ? y : Math.max(0, y);
    return FakeQuantizer.quantize(out, (float) v) - (out.signed() ? 0 : 128);
  }

  private static void assertWithinOneStep(byte[] got, int[] expected, String what) {
    int exact = 0;
    for (int i = 0; i < got.length; i++) {
      int d = Math.abs(got[i] - expected[i]);
      assertTrue(d <= 1, what + ": element " + i + " is " + got[i] + ", fake quant gives " + expected[i]);
      exact += d == 0 ? 1 : 0;
    }
    assertTrue(exact >= 0.99 * got.length, what + ": only " + exact + " of " + got.length + " exact");
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void denseRequantizeMatchesFakeQuantWithinOneStep(Int8Kernels kernels) {
    SplittableRandom rnd = new SplittableRandom(50);
    for (Output mode : Output.values()) {
      int rows = 301;
      int k = 37;
      int n = 29;
      double[] x = gaussian(rnd, rows * k, 1.5, 0.7);
      double[] w = gaussian(rnd, k * n, 0.2, -0.05);
      double[] b = gaussian(rnd, n, 0.3, 0.1);
      QuantParams xp = paramsOf(x, true);
      QuantParams wp = paramsOf(w, true);
      byte[] xq = quantize(xp, x);
      byte[] wq = quantize(wp, w);
      double sxw = (double) xp.scale() * wp.scale();
      int[] bq = new int[n];
      for (int j = 0; j < n; j++) {
        bq[j] = (int) Math.rint(b[j] / sxw);
      }
      // Fake-quant path: dequantize, multiply in double.
      double[] y = new double[rows * n];
      for (int r = 0; r < rows; r++) {
        for (int j = 0; j < n; j++) {
          double acc = bq[j] * sxw;
          for (int i = 0; i < k; i++) {
            acc += FakeQuantizer.dequantize(xp, xq[r * k + i]) * (double) FakeQuantizer.dequantize(wp, wq[i * n + j]);
          }
          y[r * n + j] = acc;
        }
      }
      QuantParams out = paramsOf(y, mode != Output.UNSIGNED_RELU);
      int[] expected = new int[y.length];
      for (int i = 0; i < y.length; i++) {
        expected[i] = fakeQuantCode(out, mode, y[i]);
      }
      byte[] got = new byte[rows * n];
      kernels.denseRequantize(xq, rows, Int8DenseWeights.pack(wq, k, n, wp.zeroPoint(), bq, xp.zeroPoint()),
          requantizer(sxw, out, mode), got);
      assertWithinOneStep(got, expected, kernels.name() + " dense " + mode);
    }
  }

  /** GCN-style: normalisation coefficients quantized to int8 with their own scale. */
  @ParameterizedTest
  @MethodSource("kernels")
  void weightedAggregationMatchesFakeQuantWithinOneStep(Int8Kernels kernels) {
    SplittableRandom rnd = new SplittableRandom(51);
    int sources = 400;
    int width = 21;
    CsrAdjacency adj = EngineTestData.graph(rnd, 500, sources);
    int[] deg = new int[Math.max(adj.targets(), sources)];
    for (int v = 0; v < adj.targets(); v++) {
      deg[v] = adj.rowPtr()[v + 1] - adj.rowPtr()[v];
    }
    double[] coef = new double[adj.edges()];
    for (int v = 0; v < adj.targets(); v++) {
      for (int e = adj.rowPtr()[v]; e < adj.rowPtr()[v + 1]; e++) {
        coef[e] = 1.0 / Math.sqrt((deg[v] + 1.0) * (deg[adj.colIdx()[e]] + 1.0));
      }
    }
    for (Output mode : Output.values()) {
      double[] x = gaussian(rnd, sources * width, 1.0, 0.2);
      QuantParams xp = paramsOf(x, true);
      QuantParams cp = paramsOf(coef, true);
      byte[] xq = quantize(xp, x);
      byte[] cq = quantize(cp, coef);
      double[] y = new double[adj.targets() * width];
      for (int v = 0; v < adj.targets(); v++) {
        for (int e = adj.rowPtr()[v]; e < adj.rowPtr()[v + 1]; e++) {
          double c = FakeQuantizer.dequantize(cp, cq[e]);
          for (int j = 0; j < width; j++) {
            y[v * width + j] += c * FakeQuantizer.dequantize(xp, xq[adj.colIdx()[e] * width + j]);
          }
        }
      }
      QuantParams out = paramsOf(y, mode != Output.UNSIGNED_RELU);
      int[] expected = new int[y.length];
      for (int i = 0; i < y.length; i++) {
        expected[i] = fakeQuantCode(out, mode, y[i]);
      }
      byte[] got = new byte[y.length];
      kernels.aggregateRequantize(adj, cq, cp.zeroPoint(), xq, width, xp.zeroPoint(),
          requantizer((double) xp.scale() * cp.scale(), out, mode), got);
      assertWithinOneStep(got, expected, kernels.name() + " aggregation " + mode);
    }
  }
}
