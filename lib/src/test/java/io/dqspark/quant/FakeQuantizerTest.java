package io.dqspark.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FakeQuantizerTest {
  private static QuantParams randomParams(SplittableRandom rnd) {
    int bits = 2 + rnd.nextInt(7);
    boolean signed = rnd.nextBoolean();
    double a = rnd.nextDouble(-3, 3);
    double b = rnd.nextDouble(-3, 3);
    return QuantParams.fromRange(bits, signed, Math.min(a, b), Math.max(a, b));
  }

  /** Data mostly inside the range, about a tenth outside it. */
  private static float[] data(SplittableRandom rnd, QuantParams p, int n) {
    float[] x = new float[n];
    double lo = p.rangeMin();
    double hi = p.rangeMax();
    double w = hi - lo;
    for (int i = 0; i < n; i++) {
      x[i] = (float) rnd.nextDouble(lo - 0.05 * w, hi + 0.05 * w);
    }
    return x;
  }

  /** Distance of v from the nearest half-integer. */
  private static double tieDistance(double v) {
    return Math.abs(v - Math.floor(v) - 0.5);
  }

  @Test
  void matchesDoublePrecisionReference() {
    SplittableRandom rnd = new SplittableRandom(1);
    for (int trial = 0; trial < 200; trial++) {
      QuantParams p = randomParams(rnd);
      float[] x = data(rnd, p, 500);
      float[] out = new float[x.length];
      long[] clipped = new long[FakeQuantizer.clipWords(x.length)];
      FakeQuantizer.forward(p, x, out, clipped);
      int[] codes = new int[x.length];
      FakeQuantizer.quantize(p, x, codes);
      for (int i = 0; i < x.length; i++) {
        double t = x[i] / (double) p.scale() + p.zeroPoint();
        double r = Math.rint(t);
        int ref = (int) Math.max(p.qmin(), Math.min(p.qmax(), r));
        boolean refClipped = r < p.qmin() || r > p.qmax();
        assertTrue(codes[i] >= p.qmin() && codes[i] <= p.qmax());
        float xi = x[i];
        if (tieDistance(t) > 1e-4) { // float vs double may round a near-tie either way
          assertEquals(ref, codes[i], () -> p + " x=" + xi);
          assertEquals(refClipped, FakeQuantizer.isClipped(clipped, i));
        } else {
          assertTrue(Math.abs(ref - codes[i]) <= 1);
        }
        // The forward's output is exactly the dequantized code.
        assertEquals(FakeQuantizer.dequantize(p, codes[i]), out[i]);
        assertEquals(out[i], FakeQuantizer.fakeQuantize(p, x[i]));
      }
    }
  }

  @Test
  void isIdempotentAndWithinHalfAStepInsideTheRange() {
    SplittableRandom rnd = new SplittableRandom(2);
    for (int trial = 0; trial < 200; trial++) {
      QuantParams p = randomParams(rnd);
      float[] x = data(rnd, p, 500);
      float[] once = new float[x.length];
      float[] twice = new float[x.length];
      long[] clipped = new long[FakeQuantizer.clipWords(x.length)];
      long[] clippedAgain = new long[clipped.length];
      FakeQuantizer.forward(p, x, once, clipped);
      FakeQuantizer.forward(p, once, twice, clippedAgain);
      assertArrayEquals(once, twice);
      for (int i = 0; i < x.length; i++) {
        assertFalse(FakeQuantizer.isClipped(clippedAgain, i));
        double lowest = ((double) p.qmin() - p.zeroPoint()) * p.scale();
        double highest = ((double) p.qmax() - p.zeroPoint()) * p.scale();
        if (x[i] >= lowest && x[i] <= highest) {
          assertFalse(FakeQuantizer.isClipped(clipped, i));
          double err = Math.abs((double) once[i] - x[i]);
          assertTrue(err <= p.scale() * 0.5 * (1 + 1e-5) + 1e-6, () -> p + " err=" + err);
        }
      }
    }
  }

  @Test
  void inPlaceForwardAndOutOfRangeInputsSaturate() {
    QuantParams p = QuantParams.fromRange(8, true, -1, 1);
    float[] x = {-1e30f, -2f, 0f, 0.5f, 2f, 1e30f, Float.POSITIVE_INFINITY, Float.NaN};
    long[] clipped = new long[1];
    FakeQuantizer.forward(p, x, x, clipped);
    float lowest = FakeQuantizer.dequantize(p, -128);
    float highest = FakeQuantizer.dequantize(p, 127);
    assertArrayEquals(new float[] {lowest, lowest, 0f, FakeQuantizer.fakeQuantize(p, 0.5f), highest,
        highest, highest, Float.NaN}, x);
    assertEquals(0b01110011L, clipped[0]);
    assertEquals(p.zeroPoint(), FakeQuantizer.quantize(p, Float.NaN));
    assertEquals(127, FakeQuantizer.quantize(p, Float.POSITIVE_INFINITY));
    assertEquals(-128, FakeQuantizer.quantize(p, Float.NEGATIVE_INFINITY));
  }

  @Test
  void halfwayCodesRoundToEven() {
    QuantParams p = QuantParams.of(8, true, 0.5f, 0);
    assertEquals(2, FakeQuantizer.quantize(p, 1.25f)); // 2.5 -> 2
    assertEquals(4, FakeQuantizer.quantize(p, 1.75f)); // 3.5 -> 4
    assertEquals(-2, FakeQuantizer.quantize(p, -1.25f));
  }

  @Test
  void protectedRowsPassThroughAndAreNeverClipped() {
    QuantParams p = QuantParams.fromRange(4, true, -1, 1);
    int cols = 3;
    float[] x = {0.33f, 5f, -7f, 0.33f, 5f, -7f, 0.33f, 5f, -7f};
    boolean[] protect = {false, true, false};
    float[] out = new float[x.length];
    long[] clipped = new long[1];
    FakeQuantizer.forward(p, x, cols, protect, out, clipped);
    for (int c = 0; c < cols; c++) {
      assertEquals(x[3 + c], out[3 + c]);
      assertFalse(FakeQuantizer.isClipped(clipped, 3 + c));
      assertEquals(FakeQuantizer.fakeQuantize(p, x[c]), out[c]);
      assertEquals(out[c], out[6 + c]);
    }
    assertTrue(FakeQuantizer.isClipped(clipped, 1) && FakeQuantizer.isClipped(clipped, 2));
    assertTrue(FakeQuantizer.isClipped(clipped, 7) && FakeQuantizer.isClipped(clipped, 8));
    assertThrows(IllegalArgumentException.class,
        () -> FakeQuantizer.forward(p, x, cols, new boolean[2], out, clipped));
    assertThrows(IllegalArgumentException.class,
        () -> FakeQuantizer.forward(p, x, 2, null, out, clipped));
  }

  @Test
  void steRulesDifferOnlyAtClippedPositions() {
    SplittableRandom rnd = new SplittableRandom(3);
    QuantParams p = QuantParams.fromRange(8, false, 0, 1);
    int n = 1000; // spans more than 64 words' worth of bit boundaries
    float[] x = new float[n];
    float[] g = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) rnd.nextDouble(-0.5, 1.5);
      g[i] = (float) rnd.nextDouble(-1, 1);
    }
    long[] clipped = new long[FakeQuantizer.clipWords(n)];
    FakeQuantizer.forward(p, x, new float[n], clipped);
    float[] plain = new float[n];
    float[] aware = new float[n];
    FakeQuantizer.backward(SteRule.PLAIN, g, clipped, plain);
    FakeQuantizer.backward(SteRule.CLIP_AWARE, g, clipped, aware);
    assertArrayEquals(g, plain);
    int zeroed = 0;
    for (int i = 0; i < n; i++) {
      double r = Math.rint(x[i] / (double) p.scale() + p.zeroPoint());
      boolean outside = r < p.qmin() || r > p.qmax();
      assertEquals(outside, FakeQuantizer.isClipped(clipped, i));
      assertEquals(outside ? 0f : g[i], aware[i]);
      zeroed += outside ? 1 : 0;
    }
    assertTrue(zeroed > 300 && zeroed < 700, "zeroed " + zeroed);
    // The boundary codes themselves keep their gradient (PyTorch's rule).
    float[] edges = {0f, 1f};
    long[] edgeClip = new long[1];
    FakeQuantizer.forward(p, edges, new float[2], edgeClip);
    assertEquals(0L, edgeClip[0]);
    // In place.
    float[] inPlace = g.clone();
    FakeQuantizer.backward(SteRule.CLIP_AWARE, inPlace, clipped, inPlace);
    assertArrayEquals(aware, inPlace);
    assertThrows(IllegalArgumentException.class,
        () -> FakeQuantizer.backward(SteRule.CLIP_AWARE, g, null, new float[n]));
  }

  /**
   * Finite differences over many quantization steps: slope ~1 where nothing is clipped (the
   * straight-through gradient is right on average) and exactly 0 beyond the range (where
   * CLIP_AWARE zeroes the gradient).
   */
  @Test
  void secantSlopesMatchTheGradientRules() {
    SplittableRandom rnd = new SplittableRandom(4);
    QuantParams p = QuantParams.fromRange(8, true, -2, 3);
    double lowest = ((double) p.qmin() - p.zeroPoint()) * p.scale();
    double highest = ((double) p.qmax() - p.zeroPoint()) * p.scale();
    float h = 10 * p.scale();
    for (int trial = 0; trial < 1000; trial++) {
      float x = (float) rnd.nextDouble(lowest + h, highest - h);
      double slope = (FakeQuantizer.fakeQuantize(p, x + h) - FakeQuantizer.fakeQuantize(p, x - h)) / (2.0 * h);
      assertEquals(1.0, slope, 0.051 + 1e-4);
      float beyond = (float) (highest + h + rnd.nextDouble(0, 5));
      assertEquals(0.0, FakeQuantizer.fakeQuantize(p, beyond + h) - FakeQuantizer.fakeQuantize(p, beyond - h));
      float below = (float) (lowest - h - rnd.nextDouble(0, 5));
      assertEquals(0.0, FakeQuantizer.fakeQuantize(p, below + h) - FakeQuantizer.fakeQuantize(p, below - h));
    }
  }
}
