package io.dqspark.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dqspark.quant.FixedPointMultiplier;
import io.dqspark.util.DqInputException;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class Int8AggregationKernelTest {
  /** Around 8/16 lanes and 4 x 16 register blocks, and off them. */
  private static final int[] WIDTHS = {1, 7, 15, 16, 17, 33, 48, 64, 65, 100, 130};

  static Stream<Int8Kernels> kernels() {
    return EngineTestData.int8Kernels();
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void aggregateMatchesLongReference(Int8Kernels kernels) {
    SplittableRandom rnd = new SplittableRandom(30);
    int cases = 0;
    for (int width : WIDTHS) {
      for (int variant = 0; variant < 8; variant++) {
        boolean weighted = variant % 2 == 1;
        int mode = (variant / 2) % 3;
        int targets = rnd.nextInt(1, 60);
        int sources = variant == 7 ? 1 : rnd.nextInt(1, 80);
        CsrAdjacency adj = EngineTestData.graph(rnd, targets, sources);
        byte[] x = EngineTestData.codes(rnd, sources * width, mode);
        int[] zps = EngineTestData.zeroPoints(rnd);
        int zx = zps[cases % 4];
        byte[] codes = weighted ? EngineTestData.codes(rnd, adj.edges(), mode) : null;
        int zc = zps[(cases / 4) % 4];
        int[] expected = EngineTestData.toIntExact(
            EngineTestData.aggregateReference(adj, codes, zc, x, width, zx));
        int[] out = new int[targets * width + 2];
        Arrays.fill(out, 0x33333333);
        kernels.aggregate(adj, codes, zc, x, width, zx, out);
        String what = kernels.name() + " width=" + width + " weighted=" + weighted + " zx=" + zx + " zc=" + zc;
        assertArrayEquals(expected, Arrays.copyOf(out, targets * width), what);
        assertArrayEquals(new int[] {0x33333333, 0x33333333},
            Arrays.copyOfRange(out, targets * width, out.length), what + ": wrote past the output");
        cases++;
      }
    }
  }

  /** Extremes: x all -128 or 127, edge weights +-255 (codes -128 / 127 against zero points 127 / -128). */
  @ParameterizedTest
  @MethodSource("kernels")
  void extremeValues(Int8Kernels kernels) {
    SplittableRandom rnd = new SplittableRandom(31);
    int width = 67;
    CsrAdjacency adj = EngineTestData.graph(rnd, 40, 30);
    for (int xv : new int[] {-128, 127}) {
      for (int zc : new int[] {-128, 127}) {
        byte[] x = new byte[30 * width];
        Arrays.fill(x, (byte) xv);
        byte[] codes = new byte[adj.edges()];
        Arrays.fill(codes, (byte) (zc == 127 ? -128 : 127));
        int zx = -xv - 1; // -128 -> 127, 127 -> -128: |x - zx| = 255
        int[] out = new int[40 * width];
        kernels.aggregate(adj, codes, zc, x, width, zx, out);
        assertArrayEquals(EngineTestData.toIntExact(
            EngineTestData.aggregateReference(adj, codes, zc, x, width, zx)), out);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void emptyGraphsAndTargetsWithoutInEdges(Int8Kernels kernels) {
    int width = 20;
    CsrAdjacency none = CsrAdjacency.of(new int[] {0}, new int[0], 0);
    kernels.aggregate(none, null, 0, new byte[0], width, 5, new int[0]);
    CsrAdjacency isolated = CsrAdjacency.of(new int[] {0, 0, 0, 0}, new int[0], 2);
    int[] out = new int[3 * width];
    Arrays.fill(out, 9);
    kernels.aggregate(isolated, new byte[0], 3, new byte[2 * width], width, -128, out);
    assertArrayEquals(new int[3 * width], out);
    byte[] q = new byte[3 * width];
    Arrays.fill(q, (byte) 1);
    kernels.aggregateRequantize(isolated, null, 0, new byte[2 * width], width, 0,
        Requantizer.of(FixedPointMultiplier.of(0.3), -7, -128, 127, false), q);
    byte[] zp = new byte[3 * width];
    Arrays.fill(zp, (byte) -7);
    assertArrayEquals(zp, q);
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void aggregateRequantizeEqualsAggregateThenRequantize(Int8Kernels kernels) {
    SplittableRandom rnd = new SplittableRandom(32);
    for (int c = 0; c < 60; c++) {
      int width = WIDTHS[rnd.nextInt(WIDTHS.length)];
      int sources = rnd.nextInt(1, 50);
      CsrAdjacency adj = EngineTestData.graph(rnd, rnd.nextInt(0, 50), sources);
      byte[] x = EngineTestData.codes(rnd, sources * width, c % 3);
      byte[] codes = c % 2 == 0 ? null : EngineTestData.codes(rnd, adj.edges(), 0);
      int zx = rnd.nextInt(-128, 128);
      int zc = rnd.nextInt(-128, 128);
      Requantizer rq = Requantizer.of(FixedPointMultiplier.of(Math.pow(2, rnd.nextDouble(-14, -2))),
          rnd.nextInt(-128, 128), -128, 127, c % 3 == 0);
      int[] acc = new int[adj.targets() * width];
      kernels.aggregate(adj, codes, zc, x, width, zx, acc);
      byte[] expected = new byte[acc.length];
      for (int i = 0; i < acc.length; i++) {
        expected[i] = (byte) rq.apply(acc[i]);
      }
      byte[] out = new byte[acc.length];
      kernels.aggregateRequantize(adj, codes, zc, x, width, zx, rq, out);
      assertArrayEquals(expected, out, kernels.name() + " case " + c);
    }
  }

  @Test
  void badArgumentsAreRejected() {
    assertThrows(DqInputException.class, () -> CsrAdjacency.of(new int[] {1, 2}, new int[2], 3));
    assertThrows(DqInputException.class, () -> CsrAdjacency.of(new int[] {0, 2, 1}, new int[1], 3));
    assertThrows(DqInputException.class, () -> CsrAdjacency.of(new int[] {0, 2}, new int[3], 3));
    assertThrows(DqInputException.class, () -> CsrAdjacency.of(new int[] {0, 2}, new int[] {0, 3}, 3));
    assertThrows(DqInputException.class, () -> CsrAdjacency.of(new int[] {0, 1}, new int[] {-1}, 3));
    CsrAdjacency adj = CsrAdjacency.of(new int[] {0, 2}, new int[] {0, 2}, 3);
    EngineTestData.availableInt8Kernels().forEach(k -> {
      assertThrows(DqInputException.class, () -> k.aggregate(adj, null, 0, new byte[11], 4, 0, new int[4]));
      assertThrows(DqInputException.class, () -> k.aggregate(adj, null, 0, new byte[12], 4, 0, new int[3]));
      assertThrows(DqInputException.class, () -> k.aggregate(adj, new byte[1], 0, new byte[12], 4, 0, new int[4]));
      assertThrows(DqInputException.class, () -> k.aggregate(adj, null, 0, new byte[12], 4, 200, new int[4]));
      assertThrows(DqInputException.class, () -> k.aggregate(adj, null, 0, new byte[12], 0, 0, new int[4]));
    });
  }
}
