package io.dqspark.engine;

import io.dqspark.quant.FixedPointMultiplier;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Run in a child JVM by {@link KernelSelectionTest}: prints which kernels this JVM selected and
 * whether they agree with the scalar reference on a small dense, requantize and aggregation run.
 */
public final class KernelSelfCheck {
  private KernelSelfCheck() {}

  public static void main(String[] args) {
    SplittableRandom rnd = new SplittableRandom(7);
    int rows = 9;
    int k = 37;
    int n = 41;
    byte[] x = EngineTestData.codes(rnd, rows * k, 0);
    byte[] w = EngineTestData.codes(rnd, k * n, 0);
    Int8DenseWeights packed = Int8DenseWeights.pack(w, k, n, 3, rnd.ints(n, -999, 999).toArray(), -128);
    Requantizer rq = Requantizer.of(FixedPointMultiplier.of(0.0007), -5, -128, 127, true);
    CsrAdjacency adj = EngineTestData.graph(rnd, 30, rows);
    byte[] codes = EngineTestData.codes(rnd, adj.edges(), 0);

    boolean agree = true;
    Int8Kernels[] impls = {Kernels.int8(), Kernels.scalarInt8()};
    byte[][] dense = new byte[2][rows * n];
    int[][] agg = new int[2][adj.targets() * n];
    byte[][] aggQ = new byte[2][adj.targets() * n];
    for (int i = 0; i < 2; i++) {
      impls[i].denseRequantize(x, rows, packed, rq, dense[i]);
      byte[] y = dense[i];
      impls[i].aggregate(adj, codes, 100, y, n, -5, agg[i]);
      impls[i].aggregateRequantize(adj, null, 0, y, n, -5, rq, aggQ[i]);
    }
    agree &= Arrays.equals(dense[0], dense[1]);
    agree &= Arrays.equals(agg[0], agg[1]);
    agree &= Arrays.equals(aggQ[0], aggQ[1]);
    System.out.println("vectorized=" + Kernels.vectorized());
    System.out.println("int8=" + Kernels.int8().name() + " fp32=" + Kernels.fp32().name());
    System.out.println("description=" + Kernels.description());
    System.out.println("report=" + Kernels.report());
    System.out.println("agree=" + agree);
  }
}
