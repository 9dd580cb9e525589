package io.dqspark.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.dqspark.quant.FixedPointMultiplier;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fused message sum against what it replaces: every message requantized on its own by the
 * scalar {@code aggregateRequantize} over one-edge targets, then summed by the scalar
 * {@code aggregate}; on awkward widths (around the 8- and 32-column blocks), extreme codes and
 * zero points, targets without edges and hubs.
 */
class MessageSumKernelTest {
  private static final int[] WIDTHS = {1, 7, 8, 9, 31, 32, 33, 64, 65, 100};

  static java.util.stream.Stream<Int8Kernels> kernels() {
    return EngineTestData.int8Kernels();
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void equalsRequantizedMessagesThenSum(Int8Kernels kernels) {
    SplittableRandom rnd = new SplittableRandom(21);
    int c = 0;
    for (int width : WIDTHS) {
      for (int mode = 0; mode < 3; mode++, c++) {
        int sources = 1 + rnd.nextInt(40);
        CsrAdjacency adj = EngineTestData.graph(rnd, 50, sources);
        byte[] x = EngineTestData.codes(rnd, sources * width, mode);
        byte[] codes = EngineTestData.codes(rnd, adj.edges(), mode);
        int[] zps = EngineTestData.zeroPoints(rnd);
        int zx = zps[c % 4];
        int zc = zps[(c + 1) % 4];
        int zm = zps[(c + 2) % 4];
        int qmin = c % 3 == 0 ? -100 : -128;
        zm = Math.max(zm, qmin);
        Requantizer rq = Requantizer.of(FixedPointMultiplier.of(Math.pow(2, rnd.nextDouble(-14, 1))),
            zm, qmin, 127, c % 5 == 1);

        // reference: one-edge targets -> stored messages -> plain sum with the message zero point
        int[] edgePtr = new int[adj.edges() + 1];
        int[] ids = new int[adj.edges()];
        for (int e = 0; e < adj.edges(); e++) {
          edgePtr[e + 1] = e + 1;
          ids[e] = e;
        }
        CsrAdjacency perEdge = CsrAdjacency.of(edgePtr, adj.colIdx(), sources);
        byte[] msg = new byte[adj.edges() * width];
        Kernels.scalarInt8().aggregateRequantize(perEdge, codes, zc, x, width, zx, rq, msg);
        int[] expected = new int[adj.targets() * width];
        Kernels.scalarInt8().aggregate(CsrAdjacency.of(adj.rowPtr(), ids, adj.edges()), null, 0, msg,
            width, rq.zeroPoint(), expected);

        int[] got = new int[adj.targets() * width];
        kernels.messageSum(adj, codes, zc, x, width, zx, rq, got);
        assertArrayEquals(expected, got, kernels.name() + " width=" + width + " mode=" + mode + " " + rq);
      }
    }
  }
}
