package io.dqspark.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The FP32 twins: close to double references, and vector equal to scalar bit for bit. */
class FloatKernelsTest {
  private static final int[] KS = {1, 3, 16, 17, 64, 65, 100};
  private static final int[] NS = {1, 7, 16, 17, 33, 64, 65, 130};
  private static final int[] WIDTHS = {1, 7, 15, 16, 17, 48, 64, 65, 130};

  private static float[] values(SplittableRandom rnd, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) rnd.nextDouble(-2, 2);
    }
    return v;
  }

  private static void assertBitIdentical(float[] a, float[] b, String what) {
    assertEquals(a.length, b.length, what);
    for (int i = 0; i < a.length; i++) {
      if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
        throw new AssertionError(what + ": element " + i + " differs: " + a[i] + " vs " + b[i]);
      }
    }
  }

  @Test
  void denseMatchesDoubleReferenceAndPathsAgree() {
    SplittableRandom rnd = new SplittableRandom(40);
    FloatKernels vector = EngineTestData.floatKernels().skip(1).findFirst().orElseThrow();
    for (int rows : new int[] {0, 1, 2, 5}) {
      for (int k : KS) {
        for (int n : NS) {
          float[] x = values(rnd, rows * k);
          float[] w = values(rnd, k * n);
          float[] bias = rnd.nextBoolean() ? null : values(rnd, n);
          FloatDenseWeights packed = FloatDenseWeights.pack(w, k, n, bias);
          float[] scalarOut = new float[rows * n];
          float[] vectorOut = new float[rows * n];
          Kernels.scalarFp32().dense(x, rows, packed, scalarOut);
          vector.dense(x, rows, packed, vectorOut);
          String what = "rows=" + rows + " k=" + k + " n=" + n;
          assertBitIdentical(scalarOut, vectorOut, what);
          for (int r = 0; r < rows; r++) {
            for (int j = 0; j < n; j++) {
              double ref = bias == null ? 0 : bias[j];
              double mag = Math.abs(ref);
              for (int i = 0; i < k; i++) {
                ref += (double) x[r * k + i] * w[i * n + j];
                mag += Math.abs((double) x[r * k + i] * w[i * n + j]);
              }
              assertEquals(ref, scalarOut[r * n + j], (k + 1) * mag * 0x1.0p-23 + 1e-30, what);
            }
          }
        }
      }
    }
  }

  @Test
  void aggregateMatchesDoubleReferenceAndPathsAgree() {
    SplittableRandom rnd = new SplittableRandom(41);
    FloatKernels vector = EngineTestData.floatKernels().skip(1).findFirst().orElseThrow();
    for (int width : WIDTHS) {
      for (boolean weighted : new boolean[] {false, true}) {
        int sources = rnd.nextInt(1, 60);
        CsrAdjacency adj = EngineTestData.graph(rnd, rnd.nextInt(0, 50), sources);
        float[] x = values(rnd, sources * width);
        float[] ew = weighted ? values(rnd, adj.edges()) : null;
        float[] scalarOut = new float[adj.targets() * width];
        float[] vectorOut = new float[adj.targets() * width];
        Kernels.scalarFp32().aggregate(adj, ew, x, width, scalarOut);
        vector.aggregate(adj, ew, x, width, vectorOut);
        String what = "width=" + width + " weighted=" + weighted;
        assertBitIdentical(scalarOut, vectorOut, what);
        for (int v = 0; v < adj.targets(); v++) {
          int degree = adj.rowPtr()[v + 1] - adj.rowPtr()[v];
          for (int j = 0; j < width; j++) {
            double ref = 0;
            double mag = 0;
            for (int e = adj.rowPtr()[v]; e < adj.rowPtr()[v + 1]; e++) {
              double t = (ew == null ? 1.0 : ew[e]) * x[adj.colIdx()[e] * width + j];
              ref += t;
              mag += Math.abs(t);
            }
            float got = scalarOut[v * width + j];
            assertTrue(Math.abs(ref - got) <= (degree + 1) * mag * 0x1.0p-23, what + " v=" + v);
            if (degree == 0) {
              assertEquals(0, Float.floatToRawIntBits(got), what + ": +0 without in-edges");
            }
          }
        }
      }
    }
  }
}
