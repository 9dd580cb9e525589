package io.dqspark.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dqspark.util.DqInputException;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SelectionTest {
  /** Shapes that trouble naive quickselects: duplicates, runs, sorted and reversed input. */
  private static float[] data(SplittableRandom rnd, int n, int kind) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      switch (kind) {
        case 0: a[i] = (float) rnd.nextGaussian(); break;
        case 1: a[i] = rnd.nextInt(5); break; // heavy duplicates, like ReLU zeros
        case 2: a[i] = i; break;
        case 3: a[i] = n - i; break;
        case 4: a[i] = 7f; break;
        default: a[i] = rnd.nextInt(10) < 6 ? 0f : (float) Math.exp(rnd.nextGaussian() * 3); break;
      }
    }
    return a;
  }

  @Test
  void selectAgreesWithAFullSort() {
    SplittableRandom rnd = new SplittableRandom(5);
    int[] sizes = {1, 2, 3, 10, 601, 602, 1000, 5000, 20000};
    for (int n : sizes) {
      for (int kind = 0; kind < 6; kind++) {
        float[] a = data(rnd, n, kind);
        float[] sorted = a.clone();
        Arrays.sort(sorted);
        int[] ks = {0, n - 1, n / 2, rnd.nextInt(n), (int) (n * 0.001), (int) (n * 0.999)};
        for (int k : ks) {
          float[] work = a.clone();
          assertEquals(sorted[k], Selection.select(work, 0, n, k), "n=" + n + " kind=" + kind + " k=" + k);
          for (int i = 0; i < k; i++) {
            assertTrue(work[i] <= work[k]);
          }
          for (int i = k + 1; i < n; i++) {
            assertTrue(work[i] >= work[k]);
          }
          float[] sortedWork = work.clone();
          Arrays.sort(sortedWork);
          assertTrue(Arrays.equals(sorted, sortedWork), "select must permute, not change, values");
        }
      }
    }
  }

  @Test
  void selectOnASubrangeLeavesTheRestAlone() {
    float[] a = {9, 8, 3, 1, 2, 0, -1};
    assertEquals(2f, Selection.select(a, 2, 5, 3));
    assertEquals(9f, a[0]);
    assertEquals(8f, a[1]);
    assertEquals(0f, a[5]);
    assertThrows(IllegalArgumentException.class, () -> Selection.select(a, 2, 5, 5));
  }

  @Test
  void ranksFollowTheKthvalueDefinition() {
    // kLow = clamp(floor(n q), 1, n), kHigh = clamp(floor(n (1 - q)), 1, n), 1-based.
    assertEquals(1, Selection.lowRank(10, 0.001));
    assertEquals(9, Selection.highRank(10, 0.001)); // floor(9.99)
    assertEquals(1, Selection.lowRank(1000, 0.001));
    assertEquals(999, Selection.highRank(1000, 0.001));
    assertEquals(50, Selection.lowRank(5000, 0.01));
    assertEquals(4950, Selection.highRank(5000, 0.01));
    assertEquals(1, Selection.lowRank(1, 0.01));
    assertEquals(1, Selection.highRank(1, 0.01)); // floor(0.99) = 0, clamped to 1
  }

  @Test
  void percentilesMatchSortedReference() {
    SplittableRandom rnd = new SplittableRandom(6);
    for (int trial = 0; trial < 60; trial++) {
      int n = 1 + rnd.nextInt(30000);
      double q = trial % 2 == 0 ? 0.001 : 0.01;
      float[] a = data(rnd, n, trial % 6);
      float[] sorted = a.clone();
      Arrays.sort(sorted);
      float[] out = new float[2];
      Selection.percentiles(a.clone(), n, q, out);
      int kLow = (int) Math.max(1, Math.min(n, Math.floor(n * q)));
      int kHigh = (int) Math.max(1, Math.min(n, Math.floor(n * (1 - q))));
      assertEquals(sorted[kLow - 1], out[0], "n=" + n);
      assertEquals(sorted[kHigh - 1], out[1], "n=" + n);
    }
  }

  @Test
  void tailFractionIsValidated() {
    for (double q : new double[] {0, -0.1, 0.5, 1, Double.NaN}) {
      DqInputException e = assertThrows(DqInputException.class, () -> Selection.lowRank(10, q));
      assertTrue(e.getMessage().contains("percentile"), e.getMessage());
    }
  }
}
