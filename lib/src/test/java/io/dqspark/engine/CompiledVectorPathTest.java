package io.dqspark.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.dqspark.quant.FixedPointMultiplier;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The other tests mostly run the vector kernels before C2 compiles them (the Vector API then runs
 * its Java fallbacks); this one repeats each kernel until it is compiled and checks every
 * repetition against the scalar reference, so the intrinsified code is what gets compared.
 */
class CompiledVectorPathTest {
  private static final int REPEATS = 400;

  @Test
  void compiledVectorKernelsStayBitIdentical() {
    SplittableRandom rnd = new SplittableRandom(60);
    Int8Kernels vector = EngineTestData.vectorInt8();
    Int8Kernels scalar = Kernels.scalarInt8();
    FloatKernels vectorF = Kernels.vectorFp32().orElseThrow();
    FloatKernels scalarF = Kernels.scalarFp32();

    int rows = 41;
    int k = 65;
    int n = 70;
    byte[] x = EngineTestData.codes(rnd, rows * k, 0);
    Int8DenseWeights w = Int8DenseWeights.pack(EngineTestData.codes(rnd, k * n, 0), k, n, 17,
        rnd.ints(n, -9999, 9999).toArray(), -3);
    Requantizer rq = Requantizer.of(FixedPointMultiplier.of(0.00123), 4, -128, 127, true);
    int sources = rows;
    CsrAdjacency adj = EngineTestData.graph(rnd, 150, sources);
    byte[] codes = EngineTestData.codes(rnd, adj.edges(), 0);
    float[] xf = new float[rows * k];
    for (int i = 0; i < xf.length; i++) {
      xf[i] = x[i] * 0.01f;
    }
    float[] wfv = new float[k * n];
    for (int i = 0; i < wfv.length; i++) {
      wfv[i] = (float) rnd.nextDouble(-1, 1);
    }
    FloatDenseWeights wf = FloatDenseWeights.pack(wfv, k, n, null);
    float[] ew = new float[adj.edges()];
    for (int e = 0; e < ew.length; e++) {
      ew[e] = codes[e] * 0.003f;
    }

    int[] denseRef = new int[rows * n];
    byte[] denseQRef = new byte[rows * n];
    scalar.dense(x, rows, w, denseRef);
    scalar.denseRequantize(x, rows, w, rq, denseQRef);
    int[] sumRef = new int[adj.targets() * k];
    int[] wsumRef = new int[adj.targets() * k];
    byte[] aggQRef = new byte[adj.targets() * k];
    scalar.aggregate(adj, null, 0, x, k, -7, sumRef);
    scalar.aggregate(adj, codes, 90, x, k, -7, wsumRef);
    scalar.aggregateRequantize(adj, codes, 90, x, k, -7, rq, aggQRef);
    float[] fAggRef = new float[adj.targets() * k];
    float[] fAggWRef = new float[adj.targets() * k];
    float[] fDenseRef = new float[rows * n];
    scalarF.aggregate(adj, null, xf, k, fAggRef);
    scalarF.aggregate(adj, ew, xf, k, fAggWRef);
    scalarF.dense(xf, rows, wf, fDenseRef);

    int[] ints = new int[Math.max(rows * n, adj.targets() * k)];
    byte[] bytes = new byte[ints.length];
    float[] floats = new float[ints.length];
    for (int rep = 0; rep < REPEATS; rep++) {
      String what = "repetition " + rep;
      vector.dense(x, rows, w, ints);
      assertArrayEquals(denseRef, java.util.Arrays.copyOf(ints, denseRef.length), what);
      vector.denseRequantize(x, rows, w, rq, bytes);
      assertArrayEquals(denseQRef, java.util.Arrays.copyOf(bytes, denseQRef.length), what);
      vector.aggregate(adj, null, 0, x, k, -7, ints);
      assertArrayEquals(sumRef, java.util.Arrays.copyOf(ints, sumRef.length), what);
      vector.aggregate(adj, codes, 90, x, k, -7, ints);
      assertArrayEquals(wsumRef, java.util.Arrays.copyOf(ints, wsumRef.length), what);
      vector.aggregateRequantize(adj, codes, 90, x, k, -7, rq, bytes);
      assertArrayEquals(aggQRef, java.util.Arrays.copyOf(bytes, aggQRef.length), what);
      vectorF.aggregate(adj, null, xf, k, floats);
      assertArrayEquals(fAggRef, java.util.Arrays.copyOf(floats, fAggRef.length), what);
      vectorF.aggregate(adj, ew, xf, k, floats);
      assertArrayEquals(fAggWRef, java.util.Arrays.copyOf(floats, fAggWRef.length), what);
      vectorF.dense(xf, rows, wf, floats);
      assertArrayEquals(fDenseRef, java.util.Arrays.copyOf(floats, fDenseRef.length), what);
    }
  }
}
