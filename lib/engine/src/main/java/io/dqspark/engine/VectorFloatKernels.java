package io.dqspark.engine;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API FP32 kernels in the same loop shapes as {@link VectorInt8Kernels} (two rows by four
 * column blocks for dense, register-held column blocks for aggregation), so that int8 against
 * FP32 compares data types, not loop structure. Bit-identical to {@link ScalarFloatKernels}.
 */
final class VectorFloatKernels implements FloatKernels {
  private static final VectorSpecies<Float> FLOAT = FloatVector.SPECIES_PREFERRED;
  private static final int L = FLOAT.length();

  VectorFloatKernels() {
    if (L < 4 || Int8DenseWeights.PAD % L != 0) {
      throw new UnsupportedOperationException("float vectors of " + L + " lanes");
    }
  }

  @Override
  public String name() {
    return "vector";
  }

  @Override
  public void dense(float[] x, int rows, FloatDenseWeights w, float[] out) {
    dense(x, rows, w, false, out);
  }

  /** As {@code VectorInt8Kernels.twoRows}, with one FMA per term and the bias added last. */
  private static void twoRows(float[] x, int xa, int xb, int k, float[] wp, float[] bias, int np,
      float[] scratch) {
    int j = 0;
    for (; j + 4 * L <= np; j += 4 * L) {
      FloatVector a0 = FloatVector.zero(FLOAT);
      FloatVector a1 = a0;
      FloatVector a2 = a0;
      FloatVector a3 = a0;
      FloatVector b0 = a0;
      FloatVector b1 = a0;
      FloatVector b2 = a0;
      FloatVector b3 = a0;
      for (int i = 0, wo = j; i < k; i++, wo += np) {
        FloatVector xav = FloatVector.broadcast(FLOAT, x[xa + i]);
        FloatVector xbv = FloatVector.broadcast(FLOAT, x[xb + i]);
        FloatVector w0 = FloatVector.fromArray(FLOAT, wp, wo);
        FloatVector w1 = FloatVector.fromArray(FLOAT, wp, wo + L);
        FloatVector w2 = FloatVector.fromArray(FLOAT, wp, wo + 2 * L);
        FloatVector w3 = FloatVector.fromArray(FLOAT, wp, wo + 3 * L);
        a0 = xav.fma(w0, a0);
        a1 = xav.fma(w1, a1);
        a2 = xav.fma(w2, a2);
        a3 = xav.fma(w3, a3);
        b0 = xbv.fma(w0, b0);
        b1 = xbv.fma(w1, b1);
        b2 = xbv.fma(w2, b2);
        b3 = xbv.fma(w3, b3);
      }
      FloatVector t0 = FloatVector.fromArray(FLOAT, bias, j);
      FloatVector t1 = FloatVector.fromArray(FLOAT, bias, j + L);
      FloatVector t2 = FloatVector.fromArray(FLOAT, bias, j + 2 * L);
      FloatVector t3 = FloatVector.fromArray(FLOAT, bias, j + 3 * L);
      a0.add(t0).intoArray(scratch, j);
      a1.add(t1).intoArray(scratch, j + L);
      a2.add(t2).intoArray(scratch, j + 2 * L);
      a3.add(t3).intoArray(scratch, j + 3 * L);
      b0.add(t0).intoArray(scratch, np + j);
      b1.add(t1).intoArray(scratch, np + j + L);
      b2.add(t2).intoArray(scratch, np + j + 2 * L);
      b3.add(t3).intoArray(scratch, np + j + 3 * L);
    }
    for (; j < np; j += L) { // np is a multiple of L
      FloatVector a0 = FloatVector.zero(FLOAT);
      FloatVector b0 = a0;
      for (int i = 0, wo = j; i < k; i++, wo += np) {
        FloatVector w0 = FloatVector.fromArray(FLOAT, wp, wo);
        a0 = FloatVector.broadcast(FLOAT, x[xa + i]).fma(w0, a0);
        b0 = FloatVector.broadcast(FLOAT, x[xb + i]).fma(w0, b0);
      }
      FloatVector t0 = FloatVector.fromArray(FLOAT, bias, j);
      a0.add(t0).intoArray(scratch, j);
      b0.add(t0).intoArray(scratch, np + j);
    }
  }

  @Override
  public void aggregate(CsrAdjacency adj, float[] edgeWeights, float[] x, int width, float[] out) {
    KernelArgs.aggregate(adj, edgeWeights == null ? -1 : edgeWeights.length, x.length, width, out.length);
    final int[] rowPtr = adj.rowPtr();
    final int[] colIdx = adj.colIdx();
    if (edgeWeights == null) {
      for (int v = 0; v < adj.targets(); v++) {
        sumRow(rowPtr, colIdx, x, width, v, out, v * width);
      }
    } else {
      for (int v = 0; v < adj.targets(); v++) {
        weightedRow(rowPtr, colIdx, edgeWeights, x, width, v, out, v * width);
      }
    }
  }

  /** Target {@code v}'s plain sum into {@code dst[d, d + width)}, column blocks in registers. */
  private static void sumRow(int[] rowPtr, int[] colIdx, float[] x, int width, int v, float[] dst,
      int d) {
    final int from = rowPtr[v];
    final int to = rowPtr[v + 1];
    int j = 0;
    for (; j + 4 * L <= width; j += 4 * L) {
      FloatVector a0 = FloatVector.zero(FLOAT);
      FloatVector a1 = a0;
      FloatVector a2 = a0;
      FloatVector a3 = a0;
      for (int e = from; e < to; e++) {
        int xo = colIdx[e] * width + j;
        a0 = a0.add(FloatVector.fromArray(FLOAT, x, xo));
        a1 = a1.add(FloatVector.fromArray(FLOAT, x, xo + L));
        a2 = a2.add(FloatVector.fromArray(FLOAT, x, xo + 2 * L));
        a3 = a3.add(FloatVector.fromArray(FLOAT, x, xo + 3 * L));
      }
      a0.intoArray(dst, d + j);
      a1.intoArray(dst, d + j + L);
      a2.intoArray(dst, d + j + 2 * L);
      a3.intoArray(dst, d + j + 3 * L);
    }
    for (; j + L <= width; j += L) {
      FloatVector a0 = FloatVector.zero(FLOAT);
      for (int e = from; e < to; e++) {
        a0 = a0.add(FloatVector.fromArray(FLOAT, x, colIdx[e] * width + j));
      }
      a0.intoArray(dst, d + j);
    }
    for (; j < width; j++) {
      float acc = 0f;
      for (int e = from; e < to; e++) {
        acc += x[colIdx[e] * width + j];
      }
      dst[d + j] = acc;
    }
  }

  /** As {@link #sumRow}, one FMA per edge with its weight. */
  private static void weightedRow(int[] rowPtr, int[] colIdx, float[] ew, float[] x, int width,
      int v, float[] dst, int d) {
    final int from = rowPtr[v];
    final int to = rowPtr[v + 1];
    int j = 0;
    for (; j + 4 * L <= width; j += 4 * L) {
      FloatVector a0 = FloatVector.zero(FLOAT);
      FloatVector a1 = a0;
      FloatVector a2 = a0;
      FloatVector a3 = a0;
      for (int e = from; e < to; e++) {
        int xo = colIdx[e] * width + j;
        FloatVector c = FloatVector.broadcast(FLOAT, ew[e]);
        a0 = c.fma(FloatVector.fromArray(FLOAT, x, xo), a0);
        a1 = c.fma(FloatVector.fromArray(FLOAT, x, xo + L), a1);
        a2 = c.fma(FloatVector.fromArray(FLOAT, x, xo + 2 * L), a2);
        a3 = c.fma(FloatVector.fromArray(FLOAT, x, xo + 3 * L), a3);
      }
      a0.intoArray(dst, d + j);
      a1.intoArray(dst, d + j + L);
      a2.intoArray(dst, d + j + 2 * L);
      a3.intoArray(dst, d + j + 3 * L);
    }
    for (; j + L <= width; j += L) {
      FloatVector a0 = FloatVector.zero(FLOAT);
      for (int e = from; e < to; e++) {
        a0 = FloatVector.broadcast(FLOAT, ew[e]).fma(FloatVector.fromArray(FLOAT, x, colIdx[e] * width + j), a0);
      }
      a0.intoArray(dst, d + j);
    }
    for (; j < width; j++) {
      float acc = 0f;
      for (int e = from; e < to; e++) {
        acc = Math.fma(ew[e], x[colIdx[e] * width + j], acc);
      }
      dst[d + j] = acc;
    }
  }

  @Override
  public void aggregate(CsrAdjacency adj, float[] edgeWeights, float[] x, int width,
      float selfFactor, float[] bias, boolean relu, float[] out) {
    KernelArgs.aggregate(adj, edgeWeights == null ? -1 : edgeWeights.length, x.length, width, out.length);
    FloatTails.check(adj, x, width, selfFactor, bias);
    final int[] rowPtr = adj.rowPtr();
    final int[] colIdx = adj.colIdx();
    for (int v = 0; v < adj.targets(); v++) {
      if (edgeWeights == null) {
        sumRow(rowPtr, colIdx, x, width, v, out, v * width);
      } else {
        weightedRow(rowPtr, colIdx, edgeWeights, x, width, v, out, v * width);
      }
      tailRow(x, out, v * width, width, selfFactor, bias, relu);
    }
  }

  /** The row's element-wise tail while it is in L1, as {@code FloatTails.scalarRow}. */
  private static void tailRow(float[] x, float[] out, int d, int width, float selfFactor,
      float[] bias, boolean relu) {
    int j = 0;
    for (; j + L <= width; j += L) {
      FloatVector o = FloatVector.fromArray(FLOAT, out, d + j);
      if (selfFactor != 0f) {
        o = FloatVector.broadcast(FLOAT, selfFactor).fma(FloatVector.fromArray(FLOAT, x, d + j), o);
      }
      if (bias != null) {
        o = o.add(FloatVector.fromArray(FLOAT, bias, j));
      }
      if (relu) {
        o = o.blend(0f, o.compare(VectorOperators.LT, 0f)); // no float max lanes in Java 17
      }
      o.intoArray(out, d + j);
    }
    for (; j < width; j++) {
      out[d + j] = FloatTails.tail(out[d + j], x[d + j], selfFactor, bias == null ? 0f : bias[j],
          bias != null, relu);
    }
  }

  @Override
  public void dense(float[] x, int rows, FloatDenseWeights w, boolean relu, float[] out) {
    final int k = w.k();
    final int n = w.n();
    KernelArgs.dense(x.length, rows, k, n, out.length);
    final int np = w.paddedN();
    final float[] scratch = new float[2 * np];
    for (int r = 0; r < rows; r += 2) {
      boolean pair = r + 1 < rows;
      twoRows(x, r * k, pair ? (r + 1) * k : r * k, k, w.weights(), w.bias(), np, scratch);
      if (relu) {
        for (int j = 0; j < 2 * np; j += L) {
          FloatVector v = FloatVector.fromArray(FLOAT, scratch, j);
          v.blend(0f, v.compare(VectorOperators.LT, 0f)).intoArray(scratch, j);
        }
      }
      System.arraycopy(scratch, 0, out, r * n, n);
      if (pair) {
        System.arraycopy(scratch, np, out, (r + 1) * n, n);
      }
    }
  }
}
