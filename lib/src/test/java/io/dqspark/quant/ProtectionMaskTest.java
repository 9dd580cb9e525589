package io.dqspark.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dqspark.util.DqInputException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ProtectionMaskTest {
  private static final int N = 100_000;

  private static double[] constant(double p) {
    double[] prob = new double[N];
    Arrays.fill(prob, p);
    return prob;
  }

  @Test
  void protectionRateIsWithinFourSigmaOfP() {
    ProtectionMask m = new ProtectionMask(42);
    boolean[] out = new boolean[N];
    for (double p : new double[] {0.001, 0.05, 0.1, 0.2, 0.5}) {
      for (int step = 0; step < 3; step++) {
        int count = m.sample(constant(p), 1, step, out);
        int recount = 0;
        for (boolean b : out) {
          recount += b ? 1 : 0;
        }
        assertEquals(recount, count);
        double sigma = Math.sqrt(N * p * (1 - p));
        assertEquals(N * p, count, 4 * sigma, "p=" + p + " step=" + step);
      }
    }
  }

  @Test
  void perNodeProbabilitiesAreHonoured() {
    // Half the nodes at 0.1 (low degree), half at 0.2 (high degree), interleaved.
    double[] prob = new double[N];
    for (int i = 0; i < N; i++) {
      prob[i] = i % 2 == 0 ? 0.1 : 0.2;
    }
    boolean[] out = new boolean[N];
    new ProtectionMask(3).sample(prob, 0, 0, out);
    int even = 0;
    int odd = 0;
    for (int i = 0; i < N; i++) {
      if (out[i]) {
        if (i % 2 == 0) {
          even++;
        } else {
          odd++;
        }
      }
    }
    int half = N / 2;
    assertEquals(half * 0.1, even, 4 * Math.sqrt(half * 0.1 * 0.9));
    assertEquals(half * 0.2, odd, 4 * Math.sqrt(half * 0.2 * 0.8));
  }

  @Test
  void sameSeedEpochAndStepGiveTheSameMask() {
    double[] prob = constant(0.1);
    boolean[] a = new boolean[N];
    boolean[] b = new boolean[N];
    new ProtectionMask(7).sample(prob, 2, 5, a);
    new ProtectionMask(7).sample(prob, 2, 5, b);
    assertArrayEquals(a, b);
    // A node's draw does not depend on which other nodes are drawn, or in what order.
    long[] ids = {99_999, 12, 500, 0};
    boolean[] some = new boolean[ids.length];
    new ProtectionMask(7).sample(new double[] {0.1, 0.1, 0.1, 0.1}, ids, 2, 5, some);
    for (int i = 0; i < ids.length; i++) {
      assertEquals(a[(int) ids[i]], some[i]);
    }
  }

  @Test
  void differentStepEpochOrSeedGiveDifferentMasks() {
    double[] prob = constant(0.1);
    boolean[] base = new boolean[N];
    boolean[] other = new boolean[N];
    ProtectionMask m = new ProtectionMask(7);
    m.sample(prob, 2, 5, base);
    m.sample(prob, 2, 6, other);
    assertIndependent(base, other);
    m.sample(prob, 3, 5, other);
    assertIndependent(base, other);
    new ProtectionMask(8).sample(prob, 2, 5, other);
    assertIndependent(base, other);
  }

  /** Two independent Bernoulli(0.1) masks agree on about 1% of protected-protected pairs. */
  private static void assertIndependent(boolean[] a, boolean[] b) {
    int both = 0;
    for (int i = 0; i < N; i++) {
      both += a[i] && b[i] ? 1 : 0;
    }
    double expected = N * 0.01;
    assertEquals(expected, both, 4 * Math.sqrt(expected * 0.99));
  }

  @Test
  void extremeProbabilitiesAreExact() {
    boolean[] out = new boolean[N];
    assertEquals(0, new ProtectionMask(1).sample(constant(0), 0, 0, out));
    assertEquals(N, new ProtectionMask(1).sample(constant(1), 0, 0, out));
    double u = new ProtectionMask(1).uniform(0, 0, 17);
    assertTrue(u >= 0 && u < 1);
  }

  @Test
  void probabilitiesOutsideTheUnitIntervalAreRejected() {
    for (double bad : new double[] {-0.01, 1.01, Double.NaN}) {
      double[] prob = {0.1, bad, 0.2};
      DqInputException e = assertThrows(DqInputException.class,
          () -> new ProtectionMask(1).sample(prob, 0, 0, new boolean[3]));
      assertTrue(e.getMessage().contains("mask_prob[1]"), e.getMessage());
      assertThrows(DqInputException.class, () -> ProtectionMask.checkProbabilities(prob));
    }
    assertThrows(IllegalArgumentException.class,
        () -> new ProtectionMask(1).sample(new double[3], 0, 0, new boolean[2]));
    ProtectionMask.checkProbabilities(new double[] {0, 0.5, 1});
  }
}
