package io.dqspark.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dqspark.util.DqInputException;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RangeTrackerTest {
  private static float[] batch(SplittableRandom rnd, int n, double spread) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (rnd.nextGaussian() * spread + 0.3);
    }
    return x;
  }

  /** Sort-based reference: kthvalue percentiles of the unprotected finite values. */
  private static float[] sortedPercentiles(float[] x, int cols, boolean[] protect, double q) {
    float[] kept = new float[x.length];
    int n = 0;
    for (int i = 0; i < x.length; i++) {
      if ((protect == null || !protect[i / cols]) && Float.isFinite(x[i])) {
        kept[n++] = x[i];
      }
    }
    kept = Arrays.copyOf(kept, n);
    Arrays.sort(kept);
    int lo = (int) Math.max(1, Math.min(n, Math.floor(n * q)));
    int hi = (int) Math.max(1, Math.min(n, Math.floor(n * (1 - q))));
    return new float[] {kept[lo - 1], kept[hi - 1]};
  }

  @Test
  void percentileTrackerKeepsRunningMinOfLowAndMaxOfHigh() {
    SplittableRandom rnd = new SplittableRandom(7);
    PercentileRangeTracker t = PercentileRangeTracker.forBits(8);
    assertEquals(PercentileRangeTracker.Q_INT8, t.tailFraction());
    assertFalse(t.initialised());
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int b = 0; b < 8; b++) {
      int cols = 1 + rnd.nextInt(16);
      int rows = 50 + rnd.nextInt(400);
      float[] x = batch(rnd, rows * cols, 0.5 + rnd.nextDouble() * 3);
      float[] ref = sortedPercentiles(x, cols, null, 0.001);
      float[] copy = x.clone();
      t.observe(x, cols, null, true);
      assertArrayEquals(copy, x, "the batch must not be reordered");
      min = Math.min(min, ref[0]);
      max = Math.max(max, ref[1]);
      assertEquals(min, t.min(), "batch " + b);
      assertEquals(max, t.max(), "batch " + b);
      assertEquals(b + 1, (long) t.state()[0]);
    }
    // Evaluation batches change nothing, however extreme.
    double[] before = t.state();
    t.observe(new float[] {-1e6f, 1e6f}, false);
    assertArrayEquals(before, t.state());
  }

  @Test
  void percentileTrackerIgnoresProtectedRowsAndNonFiniteValues() {
    SplittableRandom rnd = new SplittableRandom(8);
    int cols = 4;
    int rows = 300;
    float[] x = batch(rnd, rows * cols, 1);
    boolean[] protect = new boolean[rows];
    for (int r = 0; r < rows; r += 7) {
      protect[r] = true;
      Arrays.fill(x, r * cols, r * cols + cols, r % 2 == 0 ? 1e4f : -1e4f); // outliers, protected
    }
    x[5] = Float.NaN;
    x[6] = Float.POSITIVE_INFINITY;
    float[] ref = sortedPercentiles(x, cols, protect, 0.01);
    PercentileRangeTracker t = PercentileRangeTracker.forBits(4);
    t.observe(x, cols, protect, true);
    assertEquals(ref[0], t.min());
    assertEquals(ref[1], t.max());
    assertTrue(t.max() < 10 && t.min() > -10);

    // All rows protected: nothing to observe, state unchanged.
    double[] before = t.state();
    boolean[] all = new boolean[rows];
    Arrays.fill(all, true);
    t.observe(x, cols, all, true);
    assertArrayEquals(before, t.state());
  }

  /**
   * A 99.5%-zero non-negative tensor: the plain 99th percentile is 0, which would quantize every
   * value to 0; the high tail is then taken over the positive values alone.
   */
  @Test
  void percentileTrackerTakesASparseTailOverTheNonzeroValues() {
    SplittableRandom rnd = new SplittableRandom(9);
    float[] x = new float[20_000];
    float[] positives = new float[100];
    for (int i = 0; i < positives.length; i++) {
      positives[i] = (float) rnd.nextDouble(0.01, 1.0);
      x[rnd.nextInt(x.length)] = 0; // keep the zeros
      x[i * 200] = positives[i];
    }
    PercentileRangeTracker t = PercentileRangeTracker.forBits(4);
    t.observe(x, 1, null, true);
    float[] sorted = positives.clone();
    Arrays.sort(sorted);
    int k = Selection.highRank(sorted.length, PercentileRangeTracker.Q_INT4);
    assertEquals(sorted[k - 1], t.max(), 0, "99th percentile of the positive values");
    assertEquals(0, t.min(), 0);
    assertTrue(t.params(4, false).scale() > 0.05 / 15);

    // a dense tensor keeps the plain percentile
    float[] dense = new float[20_000];
    for (int i = 0; i < dense.length; i++) {
      dense[i] = (float) rnd.nextDouble(-1, 1);
    }
    PercentileRangeTracker d = PercentileRangeTracker.forBits(4);
    d.observe(dense, 1, null, true);
    float[] tails = new float[2];
    Selection.percentiles(dense.clone(), dense.length, PercentileRangeTracker.Q_INT4, tails);
    assertEquals(tails[0], d.min(), 0);
    assertEquals(tails[1], d.max(), 0);
  }

  @Test
  void emaTrackerFollowsTheMovingAverageRule() {
    EmaMinMaxTracker t = new EmaMinMaxTracker();
    assertEquals(0.01, t.momentum());
    t.observe(new float[] {-2f, 1f, 4f}, true);
    assertEquals(-2.0, t.min());
    assertEquals(4.0, t.max());
    t.observe(new float[] {-12f, 0f, 14f}, true);
    assertEquals(-2.0 + 0.01 * (-12 - -2.0), t.min(), 1e-12);
    assertEquals(4.0 + 0.01 * (14 - 4.0), t.max(), 1e-12);
    double expectMin = t.min();
    double expectMax = t.max();
    SplittableRandom rnd = new SplittableRandom(9);
    for (int b = 0; b < 20; b++) {
      float[] x = batch(rnd, 100, 2);
      float lo = Float.POSITIVE_INFINITY;
      float hi = Float.NEGATIVE_INFINITY;
      for (float v : x) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      t.observe(x, true);
      expectMin += 0.01 * (lo - expectMin);
      expectMax += 0.01 * (hi - expectMax);
      assertEquals(expectMin, t.min(), 1e-12);
      assertEquals(expectMax, t.max(), 1e-12);
    }
    double[] before = t.state();
    t.observe(new float[] {-100f, 100f}, false);
    assertArrayEquals(before, t.state());
  }

  @Test
  void emaTrackerIgnoresProtectedRows() {
    EmaMinMaxTracker t = new EmaMinMaxTracker(0.5);
    float[] x = {1f, 2f, -50f, 60f, -1f, 3f, Float.NaN, Float.NEGATIVE_INFINITY};
    t.observe(x, 2, new boolean[] {false, true, false, false}, true);
    assertEquals(-1.0, t.min());
    assertEquals(3.0, t.max());
    t.observe(x, 2, new boolean[] {true, true, true, false}, true); // only non-finite values left
    assertEquals(1, (long) t.state()[0]);
  }

  @Test
  void paramsComeFromTheTrackedRange() {
    EmaMinMaxTracker t = new EmaMinMaxTracker();
    assertThrows(IllegalStateException.class, () -> t.params(8, true));
    t.observe(new float[] {-1f, 3f}, true);
    assertEquals(QuantParams.fromRange(8, false, -1, 3), t.params(8, false));
    // kthvalue on a tiny batch: floor(2 * 0.99) = 1, so both percentiles are the smallest value;
    // the high one lands below zero while a positive value exists, so it is taken over the
    // positive values (the sparse-tail rule).
    PercentileRangeTracker dq = new PercentileRangeTracker(0.01);
    dq.observe(new float[] {-1f, 3f}, true);
    assertEquals(-1.0, dq.min());
    assertEquals(3.0, dq.max());
    PercentileRangeTracker three = new PercentileRangeTracker(0.01);
    three.observe(new float[] {-1f, 3f, 2f}, true);
    assertEquals(-1.0, three.min());
    assertEquals(2.0, three.max(), "floor(3 * 0.99) = 2nd smallest, positive: kept");
  }

  @Test
  void stateRoundTripsAndMerges() {
    PercentileRangeTracker a = new PercentileRangeTracker(0.01);
    a.observe(new float[] {-1f, 2f}, true);
    PercentileRangeTracker b = new PercentileRangeTracker(0.01);
    b.setState(a.state());
    assertArrayEquals(a.state(), b.state());
    assertArrayEquals(new double[] {5, -3, 2},
        PercentileRangeTracker.merge(new double[] {2, -1, 2}, new double[] {3, -3, 1},
            new double[] {0, Double.NaN, Double.NaN}));
    assertArrayEquals(new double[] {5, -2, 1.5},
        EmaMinMaxTracker.merge(new double[] {2, -1, 2}, new double[] {3, -3, 1},
            new double[] {0, Double.NaN, Double.NaN}));
    double[] none = EmaMinMaxTracker.merge(new double[] {0, Double.NaN, Double.NaN});
    assertEquals(0, none[0]);
    EmaMinMaxTracker fresh = new EmaMinMaxTracker();
    fresh.setState(none);
    assertFalse(fresh.initialised());

    assertThrows(IllegalArgumentException.class, () -> b.setState(new double[] {1, 2}));
    assertThrows(IllegalArgumentException.class, () -> b.setState(new double[] {1, 3, 2}));
    assertThrows(IllegalArgumentException.class, () -> b.setState(new double[] {1.5, 0, 2}));
    assertThrows(IllegalArgumentException.class, () -> b.setState(new double[] {1, Double.NaN, 2}));
  }

  @Test
  void badSettingsAreRejected() {
    assertThrows(DqInputException.class, () -> new EmaMinMaxTracker(0));
    assertThrows(DqInputException.class, () -> new EmaMinMaxTracker(1.5));
    assertThrows(DqInputException.class, () -> new PercentileRangeTracker(0.5));
    assertThrows(DqInputException.class, () -> PercentileRangeTracker.forBits(1));
    assertThrows(DqInputException.class, () -> PercentileRangeTracker.forBits(9));
    assertThrows(IllegalArgumentException.class,
        () -> new EmaMinMaxTracker().observe(new float[6], 4, null, true));
    assertThrows(IllegalArgumentException.class,
        () -> new PercentileRangeTracker(0.01).observe(new float[6], 3, new boolean[3], true));
  }
}
