package io.dqspark.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Every path of the bracketed percentiles must equal the sort-based kthvalue exactly. */
class TailPercentilesTest {
  private static float[] reference(float[] x, int cols, boolean[] protect, double q) {
    float[] kept = new float[x.length];
    int n = 0;
    for (int i = 0; i < x.length; i++) {
      if ((protect == null || !protect[i / cols]) && Float.isFinite(x[i])) {
        kept[n++] = x[i] + 0f;
      }
    }
    kept = Arrays.copyOf(kept, n);
    Arrays.sort(kept);
    int lo = (int) Math.max(1, Math.min(n, Math.floor(n * q)));
    int hi = (int) Math.max(1, Math.min(n, Math.floor(n * (1 - q))));
    return new float[] {kept[lo - 1], kept[hi - 1]};
  }

  private static float[] data(SplittableRandom rnd, int n, int kind) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      switch (kind) {
        case 0: x[i] = (float) rnd.nextGaussian(); break;
        case 1: x[i] = rnd.nextInt(10) < 6 ? 0f : (float) Math.abs(rnd.nextGaussian()); break; // ReLU
        case 2: x[i] = rnd.nextInt(3) - 1; break; // ties at both thresholds
        case 3: x[i] = (float) Math.exp(rnd.nextGaussian() * 4) * (rnd.nextBoolean() ? 1 : -1); break;
        default: x[i] = i; break; // sorted
      }
    }
    return x;
  }

  private static int run(float[] x, int cols, boolean[] protect, double q, int sample, int capDiv) {
    float[] out = new float[2];
    int path = TailPercentiles.percentiles(x, cols, protect, q, out, sample, capDiv);
    assertArrayEquals(reference(x, cols, protect, q), out, "path " + path);
    return path;
  }

  @Test
  void fastPathIsExactOnVariedData() {
    SplittableRandom rnd = new SplittableRandom(13);
    int fast = 0;
    for (int trial = 0; trial < 30; trial++) {
      int cols = 1 + rnd.nextInt(32);
      int rows = 8192 / cols + rnd.nextInt(1000);
      double q = trial % 2 == 0 ? 0.001 : 0.01;
      float[] x = data(rnd, rows * cols, trial % 5);
      boolean[] protect = new boolean[rows];
      for (int r = 0; r < rows; r++) {
        protect[r] = rnd.nextInt(10) == 0;
      }
      fast += run(x, cols, trial % 3 == 0 ? null : protect, q, TailPercentiles.SAMPLE, 16)
          == TailPercentiles.FAST ? 1 : 0;
    }
    assertEquals(30, fast, "every trial should have taken the bracketed path");
  }

  @Test
  void fallbacksAreExact() {
    SplittableRandom rnd = new SplittableRandom(14);
    float[] x = data(rnd, 20000, 0);
    assertEquals(TailPercentiles.FALLBACK, run(x, 1, null, 0.01, 0, 16)); // no sample
    assertEquals(TailPercentiles.FALLBACK, run(x, 1, null, 0.01, 1024, 10_000)); // bracket overflows
    assertEquals(TailPercentiles.FALLBACK, run(data(rnd, 100, 0), 1, null, 0.01, 1024, 16)); // small
    boolean[] mostly = new boolean[2000];
    Arrays.fill(mostly, true);
    for (int r = 0; r < 2000; r += 50) {
      mostly[r] = false;
    }
    assertEquals(TailPercentiles.FALLBACK, run(x, 10, mostly, 0.001, 1024, 16)); // sample starved
    // A tail the sample cannot see: 150 extreme values where the low rank is 200.
    float[] hidden = data(rnd, 20000, 0);
    for (int i = 0; i < 150; i++) {
      hidden[rnd.nextInt(20000)] = -1e6f;
    }
    run(hidden, 1, null, 0.01, 64, 16);
    run(hidden, 1, null, 0.01, 1024, 16);
  }

  @Test
  void allProtectedOrNonFiniteIsEmpty() {
    float[] x = new float[9000];
    Arrays.fill(x, Float.NaN);
    float[] out = {7f, 8f};
    assertEquals(TailPercentiles.EMPTY, TailPercentiles.percentiles(x, 1, null, 0.01, out));
    assertArrayEquals(new float[] {7f, 8f}, out);
    boolean[] all = new boolean[3];
    Arrays.fill(all, true);
    assertEquals(TailPercentiles.EMPTY,
        TailPercentiles.percentiles(new float[] {1, 2, 3}, 1, all, 0.01, out));
  }
}
