package io.dqspark.engine;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API integer kernels, bit-identical to {@link ScalarInt8Kernels}. Loaded only through
 * {@link Kernels}, which falls back to scalar when this class cannot link or reports itself
 * unsupported.
 *
 * <p>Shapes: int32 vectors of the preferred width ({@code L} = 16 lanes with AVX-512, 8 with
 * AVX2); int8 data is loaded {@code L} bytes at a time and widened straight to int32
 * ({@code vpmovsxbd}). Without an int8 dot-product instruction in the Vector API, the dense
 * product broadcasts one activation (two rows at a time) against pre-widened weight rows and
 * multiplies in int32 (design §5). Requantization runs 8 lanes of 64-bit products when 512-bit
 * long vectors exist, else scalar. Every vector lives inside one kernel body: no vector-typed
 * parameters or returns (design §5: such helpers stop being inlined and box).
 */
final class VectorInt8Kernels implements Int8Kernels {
  private static final VectorSpecies<Integer> INT = IntVector.SPECIES_PREFERRED;
  private static final int L = INT.length();
  private static final VectorSpecies<Byte> BYTES_L =
      L == 8 || L == 16 ? VectorSpecies.of(byte.class, VectorShape.forBitSize(L * 8)) : null;
  private static final boolean VECTOR_REQUANT = LongVector.SPECIES_PREFERRED.length() >= 8;
  private static final VectorSpecies<Long> LONG_8 = LongVector.SPECIES_512;
  private static final VectorSpecies<Integer> INT_8 = IntVector.SPECIES_256;
  private static final VectorSpecies<Byte> BYTE_8 = ByteVector.SPECIES_64;

  VectorInt8Kernels() {
    if (BYTES_L == null || Int8DenseWeights.PAD % L != 0) {
      throw new UnsupportedOperationException("int vectors of " + L + " lanes (need 8 or 16)");
    }
  }

  /** Lanes of the int32 vectors used. */
  static int intLanes() {
    return L;
  }

  /** Whether requantization runs on 64-bit vector lanes (else a scalar loop). */
  static boolean vectorRequantization() {
    return VECTOR_REQUANT;
  }

  @Override
  public String name() {
    return "vector";
  }

  @Override
  public void dense(byte[] x, int rows, Int8DenseWeights w, int[] out) {
    final int k = w.k();
    final int n = w.n();
    KernelArgs.dense(x.length, rows, k, n, out.length);
    final int np = w.paddedN();
    final int[] scratch = new int[2 * np];
    for (int r = 0; r < rows; r += 2) {
      boolean pair = r + 1 < rows;
      twoRows(x, r * k, pair ? (r + 1) * k : r * k, k, w.centred(), w.columnTerms(), np, scratch);
      System.arraycopy(scratch, 0, out, r * n, n);
      if (pair) {
        System.arraycopy(scratch, np, out, (r + 1) * n, n);
      }
    }
  }

  @Override
  public void denseRequantize(byte[] x, int rows, Int8DenseWeights w, Requantizer rq, byte[] out) {
    final int k = w.k();
    final int n = w.n();
    KernelArgs.dense(x.length, rows, k, n, out.length);
    final int np = w.paddedN();
    final int[] scratch = new int[2 * np];
    for (int r = 0; r < rows; r += 2) {
      boolean pair = r + 1 < rows;
      twoRows(x, r * k, pair ? (r + 1) * k : r * k, k, w.centred(), w.columnTerms(), np, scratch);
      requantizeRow(scratch, 0, out, r * n, n, rq);
      if (pair) {
        requantizeRow(scratch, np, out, (r + 1) * n, n, rq);
      }
    }
  }

  /**
   * Rows starting at {@code xa} and {@code xb} (which may be equal) of {@code x W + terms} into
   * {@code scratch[0, np)} and {@code scratch[np, 2np)}. Two rows share every weight load;
   * 4 column blocks share every activation broadcast.
   */
  static void twoRows(byte[] x, int xa, int xb, int k, int[] wc, int[] terms, int np,
      int[] scratch) {
    int j = 0;
    for (; j + 4 * L <= np; j += 4 * L) {
      IntVector a0 = IntVector.zero(INT);
      IntVector a1 = a0;
      IntVector a2 = a0;
      IntVector a3 = a0;
      IntVector b0 = a0;
      IntVector b1 = a0;
      IntVector b2 = a0;
      IntVector b3 = a0;
      for (int i = 0, wo = j; i < k; i++, wo += np) {
        IntVector xav = IntVector.broadcast(INT, x[xa + i]);
        IntVector xbv = IntVector.broadcast(INT, x[xb + i]);
        IntVector w0 = IntVector.fromArray(INT, wc, wo);
        IntVector w1 = IntVector.fromArray(INT, wc, wo + L);
        IntVector w2 = IntVector.fromArray(INT, wc, wo + 2 * L);
        IntVector w3 = IntVector.fromArray(INT, wc, wo + 3 * L);
        a0 = a0.add(xav.mul(w0));
        a1 = a1.add(xav.mul(w1));
        a2 = a2.add(xav.mul(w2));
        a3 = a3.add(xav.mul(w3));
        b0 = b0.add(xbv.mul(w0));
        b1 = b1.add(xbv.mul(w1));
        b2 = b2.add(xbv.mul(w2));
        b3 = b3.add(xbv.mul(w3));
      }
      IntVector t0 = IntVector.fromArray(INT, terms, j);
      IntVector t1 = IntVector.fromArray(INT, terms, j + L);
      IntVector t2 = IntVector.fromArray(INT, terms, j + 2 * L);
      IntVector t3 = IntVector.fromArray(INT, terms, j + 3 * L);
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
      IntVector a0 = IntVector.zero(INT);
      IntVector b0 = a0;
      for (int i = 0, wo = j; i < k; i++, wo += np) {
        IntVector w0 = IntVector.fromArray(INT, wc, wo);
        a0 = a0.add(IntVector.broadcast(INT, x[xa + i]).mul(w0));
        b0 = b0.add(IntVector.broadcast(INT, x[xb + i]).mul(w0));
      }
      IntVector t0 = IntVector.fromArray(INT, terms, j);
      a0.add(t0).intoArray(scratch, j);
      b0.add(t0).intoArray(scratch, np + j);
    }
  }

  @Override
  public void requantize(int[] acc, int accOffset, byte[] out, int outOffset, int length,
      Requantizer rq) {
    KernelArgs.requantize(acc.length, accOffset, out.length, outOffset, length);
    requantizeRow(acc, accOffset, out, outOffset, length, rq);
  }

  /** {@code out[o + i] = rq.apply(acc[a + i])}, 8 lanes of 64-bit products at a time. */
  private static void requantizeRow(int[] acc, int a, byte[] out, int o, int length,
      Requantizer rq) {
    final long m0 = rq.multiplier().multiplier();
    final int s = rq.shiftBits();
    final long half = rq.half();
    final long nudge = rq.negativeNudge();
    final long zp = rq.zeroPoint();
    final long lo = rq.lo();
    final long hi = rq.hi();
    int i = 0;
    if (VECTOR_REQUANT) {
      for (; i + 8 <= length; i += 8) {
        LongVector p = ((LongVector) IntVector.fromArray(INT_8, acc, a + i)
            .convertShape(VectorOperators.I2L, LONG_8, 0)).mul(m0);
        LongVector q = p.add(half)
            .add(p.lanewise(VectorOperators.ASHR, 63).and(nudge))
            .lanewise(VectorOperators.ASHR, s)
            .add(zp).max(lo).min(hi);
        ((ByteVector) q.convertShape(VectorOperators.L2B, BYTE_8, 0)).intoArray(out, o + i);
      }
    }
    for (; i < length; i++) {
      long p = acc[a + i] * m0;
      long q = ((p + half + ((p >> 63) & nudge)) >> s) + zp;
      out[o + i] = (byte) Math.max(lo, Math.min(hi, q));
    }
  }

  @Override
  public void aggregate(CsrAdjacency adj, byte[] edgeCodes, int edgeZeroPoint, byte[] x, int width,
      int xZeroPoint, int[] out) {
    ScalarInt8Kernels.checkAggregate(adj, edgeCodes, edgeZeroPoint, x, width, xZeroPoint, out.length);
    final int[] rowPtr = adj.rowPtr();
    final int[] colIdx = adj.colIdx();
    if (edgeCodes == null) {
      for (int v = 0; v < adj.targets(); v++) {
        sumRow(rowPtr, colIdx, x, width, xZeroPoint, v, out, v * width);
      }
    } else {
      for (int v = 0; v < adj.targets(); v++) {
        weightedRow(rowPtr, colIdx, edgeCodes, edgeZeroPoint, x, width, xZeroPoint, v, out, v * width);
      }
    }
  }

  @Override
  public void aggregateRequantize(CsrAdjacency adj, byte[] edgeCodes, int edgeZeroPoint, byte[] x,
      int width, int xZeroPoint, Requantizer rq, byte[] out) {
    ScalarInt8Kernels.checkAggregate(adj, edgeCodes, edgeZeroPoint, x, width, xZeroPoint, out.length);
    final int[] rowPtr = adj.rowPtr();
    final int[] colIdx = adj.colIdx();
    final int[] row = new int[width];
    for (int v = 0; v < adj.targets(); v++) {
      if (edgeCodes == null) {
        sumRow(rowPtr, colIdx, x, width, xZeroPoint, v, row, 0);
      } else {
        weightedRow(rowPtr, colIdx, edgeCodes, edgeZeroPoint, x, width, xZeroPoint, v, row, 0);
      }
      requantizeRow(row, 0, out, v * width, width, rq);
    }
  }

  @Override
  public void messageSum(CsrAdjacency adj, byte[] edgeCodes, int edgeZeroPoint, byte[] x, int width,
      int xZeroPoint, Requantizer message, int[] out) {
    ScalarInt8Kernels.checkMessageSum(adj, edgeCodes, edgeZeroPoint, x, width, xZeroPoint, out.length);
    final int[] rowPtr = adj.rowPtr();
    final int[] colIdx = adj.colIdx();
    for (int v = 0; v < adj.targets(); v++) {
      messageRow(rowPtr, colIdx, edgeCodes, edgeZeroPoint, x, width, xZeroPoint, message, v, out,
          v * width);
    }
  }

  /**
   * Target {@code v}'s message sums into {@code dst[d, d + width)}: blocks of 4 x 8 columns (then
   * 8, then single columns) held as 64-bit lanes across all edges, each message requantized in
   * its lane exactly as {@link Requantizer#apply} ({@code (c - zc) m0} is formed once per edge:
   * {@code (x - zx)((c - zc) m0)} is the same integer as {@code ((c - zc)(x - zx)) m0}). The sums
   * wrap to int32 at the end, which equals the reference's wrapping int32 sum.
   */
  private static void messageRow(int[] rowPtr, int[] colIdx, byte[] codes, int zc, byte[] x,
      int width, int zx, Requantizer rq, int v, int[] dst, int d) {
    final int from = rowPtr[v];
    final int to = rowPtr[v + 1];
    final long m0 = rq.multiplier().multiplier();
    final int s = rq.shiftBits();
    final long half = rq.half();
    final long nudge = rq.negativeNudge();
    final long zp = rq.zeroPoint();
    final long lo = rq.lo();
    final long hi = rq.hi();
    final long correction = zp * (to - from);
    int j = 0;
    if (VECTOR_REQUANT) {
      for (; j + 32 <= width; j += 32) {
        LongVector a0 = LongVector.zero(LONG_8);
        LongVector a1 = a0;
        LongVector a2 = a0;
        LongVector a3 = a0;
        for (int e = from; e < to; e++) {
          long ce = (codes[e] - zc) * m0;
          int xo = colIdx[e] * width + j;
          LongVector p0 = ((LongVector) ByteVector.fromArray(BYTE_8, x, xo).convertShape(VectorOperators.B2L, LONG_8, 0)).sub(zx).mul(ce);
          LongVector p1 = ((LongVector) ByteVector.fromArray(BYTE_8, x, xo + 8).convertShape(VectorOperators.B2L, LONG_8, 0)).sub(zx).mul(ce);
          LongVector p2 = ((LongVector) ByteVector.fromArray(BYTE_8, x, xo + 16).convertShape(VectorOperators.B2L, LONG_8, 0)).sub(zx).mul(ce);
          LongVector p3 = ((LongVector) ByteVector.fromArray(BYTE_8, x, xo + 24).convertShape(VectorOperators.B2L, LONG_8, 0)).sub(zx).mul(ce);
          a0 = a0.add(p0.add(half).add(p0.lanewise(VectorOperators.ASHR, 63).and(nudge))
              .lanewise(VectorOperators.ASHR, s).add(zp).max(lo).min(hi));
          a1 = a1.add(p1.add(half).add(p1.lanewise(VectorOperators.ASHR, 63).and(nudge))
              .lanewise(VectorOperators.ASHR, s).add(zp).max(lo).min(hi));
          a2 = a2.add(p2.add(half).add(p2.lanewise(VectorOperators.ASHR, 63).and(nudge))
              .lanewise(VectorOperators.ASHR, s).add(zp).max(lo).min(hi));
          a3 = a3.add(p3.add(half).add(p3.lanewise(VectorOperators.ASHR, 63).and(nudge))
              .lanewise(VectorOperators.ASHR, s).add(zp).max(lo).min(hi));
        }
        ((IntVector) a0.sub(correction).convertShape(VectorOperators.L2I, INT_8, 0)).intoArray(dst, d + j);
        ((IntVector) a1.sub(correction).convertShape(VectorOperators.L2I, INT_8, 0)).intoArray(dst, d + j + 8);
        ((IntVector) a2.sub(correction).convertShape(VectorOperators.L2I, INT_8, 0)).intoArray(dst, d + j + 16);
        ((IntVector) a3.sub(correction).convertShape(VectorOperators.L2I, INT_8, 0)).intoArray(dst, d + j + 24);
      }
      for (; j + 8 <= width; j += 8) {
        LongVector a0 = LongVector.zero(LONG_8);
        for (int e = from; e < to; e++) {
          long ce = (codes[e] - zc) * m0;
          LongVector p0 = ((LongVector) ByteVector.fromArray(BYTE_8, x, colIdx[e] * width + j)
              .convertShape(VectorOperators.B2L, LONG_8, 0)).sub(zx).mul(ce);
          a0 = a0.add(p0.add(half).add(p0.lanewise(VectorOperators.ASHR, 63).and(nudge))
              .lanewise(VectorOperators.ASHR, s).add(zp).max(lo).min(hi));
        }
        ((IntVector) a0.sub(correction).convertShape(VectorOperators.L2I, INT_8, 0)).intoArray(dst, d + j);
      }
    }
    for (; j < width; j++) {
      long acc = 0;
      for (int e = from; e < to; e++) {
        long p = ((codes[e] - zc) * (x[colIdx[e] * width + j] - zx)) * m0;
        acc += Math.max(lo, Math.min(hi, ((p + half + ((p >> 63) & nudge)) >> s) + zp));
      }
      dst[d + j] = (int) (acc - correction);
    }
  }

  /*
   * The two row kernels below are separate methods, not one with a branch on the edge codes:
   * each stays small enough for C2 to inline every Vector API call, and weighted and unweighted
   * runs do not share one profile. Seen here: as one method, the weighted aggregation on the
   * R-MAT benchmark ran about 5x slower than after the split, slower than FP32.
   */

  /**
   * Target {@code v}'s sums {@code sum_e x_u - zx * degree} into {@code dst[d, d + width)}:
   * column blocks of 4L (then L, then single columns) held in registers across all edges.
   */
  private static void sumRow(int[] rowPtr, int[] colIdx, byte[] x, int width, int zx, int v,
      int[] dst, int d) {
    final int from = rowPtr[v];
    final int to = rowPtr[v + 1];
    final int correction = zx * (to - from);
    int j = 0;
    for (; j + 4 * L <= width; j += 4 * L) {
      IntVector a0 = IntVector.zero(INT);
      IntVector a1 = a0;
      IntVector a2 = a0;
      IntVector a3 = a0;
      for (int e = from; e < to; e++) {
        int xo = colIdx[e] * width + j;
        a0 = a0.add((IntVector) ByteVector.fromArray(BYTES_L, x, xo).convertShape(VectorOperators.B2I, INT, 0));
        a1 = a1.add((IntVector) ByteVector.fromArray(BYTES_L, x, xo + L).convertShape(VectorOperators.B2I, INT, 0));
        a2 = a2.add((IntVector) ByteVector.fromArray(BYTES_L, x, xo + 2 * L).convertShape(VectorOperators.B2I, INT, 0));
        a3 = a3.add((IntVector) ByteVector.fromArray(BYTES_L, x, xo + 3 * L).convertShape(VectorOperators.B2I, INT, 0));
      }
      a0.sub(correction).intoArray(dst, d + j);
      a1.sub(correction).intoArray(dst, d + j + L);
      a2.sub(correction).intoArray(dst, d + j + 2 * L);
      a3.sub(correction).intoArray(dst, d + j + 3 * L);
    }
    for (; j + L <= width; j += L) {
      IntVector a0 = IntVector.zero(INT);
      for (int e = from; e < to; e++) {
        a0 = a0.add((IntVector) ByteVector.fromArray(BYTES_L, x, colIdx[e] * width + j)
            .convertShape(VectorOperators.B2I, INT, 0));
      }
      a0.sub(correction).intoArray(dst, d + j);
    }
    for (; j < width; j++) {
      int acc = 0;
      for (int e = from; e < to; e++) {
        acc += x[colIdx[e] * width + j];
      }
      dst[d + j] = acc - correction;
    }
  }

  /** As {@link #sumRow} with edge weights: {@code sum_e (c_e - zc) x_u - zx * sum_e (c_e - zc)}. */
  static void weightedRow(int[] rowPtr, int[] colIdx, byte[] codes, int zc, byte[] x,
      int width, int zx, int v, int[] dst, int d) {
    final int from = rowPtr[v];
    final int to = rowPtr[v + 1];
    int weightSum = 0;
    for (int e = from; e < to; e++) {
      weightSum += codes[e] - zc;
    }
    final int correction = zx * weightSum;
    int j = 0;
    for (; j + 4 * L <= width; j += 4 * L) {
      IntVector a0 = IntVector.zero(INT);
      IntVector a1 = a0;
      IntVector a2 = a0;
      IntVector a3 = a0;
      for (int e = from; e < to; e++) {
        int xo = colIdx[e] * width + j;
        IntVector c = IntVector.broadcast(INT, codes[e] - zc);
        a0 = a0.add(c.mul((IntVector) ByteVector.fromArray(BYTES_L, x, xo).convertShape(VectorOperators.B2I, INT, 0)));
        a1 = a1.add(c.mul((IntVector) ByteVector.fromArray(BYTES_L, x, xo + L).convertShape(VectorOperators.B2I, INT, 0)));
        a2 = a2.add(c.mul((IntVector) ByteVector.fromArray(BYTES_L, x, xo + 2 * L).convertShape(VectorOperators.B2I, INT, 0)));
        a3 = a3.add(c.mul((IntVector) ByteVector.fromArray(BYTES_L, x, xo + 3 * L).convertShape(VectorOperators.B2I, INT, 0)));
      }
      a0.sub(correction).intoArray(dst, d + j);
      a1.sub(correction).intoArray(dst, d + j + L);
      a2.sub(correction).intoArray(dst, d + j + 2 * L);
      a3.sub(correction).intoArray(dst, d + j + 3 * L);
    }
    for (; j + L <= width; j += L) {
      IntVector a0 = IntVector.zero(INT);
      for (int e = from; e < to; e++) {
        a0 = a0.add(IntVector.broadcast(INT, codes[e] - zc).mul((IntVector) ByteVector
            .fromArray(BYTES_L, x, colIdx[e] * width + j).convertShape(VectorOperators.B2I, INT, 0)));
      }
      a0.sub(correction).intoArray(dst, d + j);
    }
    for (; j < width; j++) {
      int acc = 0;
      for (int e = from; e < to; e++) {
        acc += (codes[e] - zc) * x[colIdx[e] * width + j];
      }
      dst[d + j] = acc - correction;
    }
  }
}
