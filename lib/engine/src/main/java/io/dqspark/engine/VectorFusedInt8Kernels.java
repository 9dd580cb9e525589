package io.dqspark.engine;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API {@link FusedInt8Kernels}, bit-identical to {@link ScalarFusedInt8Kernels}. Shapes
 * follow the CPU: {@code L} int32/float lanes (16 with AVX-512, 8 with AVX2) and {@code 2L}
 * int16 lanes; every requantization runs in float lanes, so AVX2 vectorises it too. Vectors stay
 * inside the kernel bodies (design §5: vector-typed helpers stop being inlined and box). Clamps
 * are compare-and-blend: Java 17 compiles no float max/min lanes (it falls back to a boxed loop).
 */
final class VectorFusedInt8Kernels implements FusedInt8Kernels {
  private static final VectorSpecies<Integer> INT = IntVector.SPECIES_PREFERRED;
  private static final int L = INT.length();
  private static final VectorSpecies<Float> FLOAT = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Short> SHORT = ShortVector.SPECIES_PREFERRED;
  private static final int S = SHORT.length();
  /** S bytes: one int16 vector's worth of codes. */
  private static final VectorSpecies<Byte> BYTES_S =
      VectorSpecies.of(byte.class, VectorShape.forBitSize(S * 8));
  /** L bytes: one int32 vector's worth of codes. */
  private static final VectorSpecies<Byte> BYTES_L =
      VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, L * 8)));

  VectorFusedInt8Kernels() {
    if ((L != 8 && L != 16) || FLOAT.length() != L || S != 2 * L) {
      throw new UnsupportedOperationException("vector shapes: " + L + " int lanes, " + FLOAT.length() + " float lanes");
    }
  }

  @Override
  public String name() {
    return "vector";
  }

  @Override
  public void gcnAggregate(CsrAdjacency adj, byte[] edgeCodes, int zc, byte[] x,
      int width, int zx, FloatRequant agg, int za, int shift, int[] bias, FloatRequant output,
      byte[] out) {
    FusedArgs.weighted(adj, edgeCodes, zc, x, width, zx, za, shift, bias, out);
    final int[] rowPtr = adj.rowPtr();
    final int[] colIdx = adj.colIdx();
    final int[] row = new int[width];
    for (int v = 0; v < adj.targets(); v++) {
      // the exact kernels' weighted sums, then this arithmetic's requantization
      VectorInt8Kernels.weightedRow(rowPtr, colIdx, edgeCodes, zc, x, width, zx, v, row, 0);
      gcnRow(row, width, agg.multiplier(), agg.zeroPoint(), agg.lo(), agg.hi(), za, shift, bias,
          output.multiplier(), output.zeroPoint(), output.lo(), output.hi(), agg, output, out,
          v * width);
    }
  }

  /**
   * Target {@code v}'s plain sums of {@code x}'s rows over its in-edges into {@code row}: 2S then
   * S columns at a time in 16-bit lanes over chunks of {@link #SHORT_CHUNK} edges, each chunk
   * widened and added into {@code row} (no vector stays live across the chunk loop: C2 in Java 17
   * boxes vectors carried around an outer loop), then L columns in int32 lanes, then singles.
   */
  private static void shortSums(int[] rowPtr, int[] colIdx, byte[] x, int width, int v, int[] row) {
    final int from = rowPtr[v];
    final int to = rowPtr[v + 1];
    java.util.Arrays.fill(row, 0);
    int j = 0;
    for (; j + 2 * S <= width; j += 2 * S) {
      for (int c = from; c < to; c += SHORT_CHUNK) {
        shortChunk2(colIdx, x, width, j, c, Math.min(to, c + SHORT_CHUNK), row);
      }
    }
    for (; j + S <= width; j += S) {
      for (int c = from; c < to; c += SHORT_CHUNK) {
        shortChunk1(colIdx, x, width, j, c, Math.min(to, c + SHORT_CHUNK), row);
      }
    }
    for (; j + L <= width; j += L) {
      IntVector a0 = IntVector.zero(INT);
      for (int e = from; e < to; e++) {
        a0 = a0.add((IntVector) ByteVector.fromArray(BYTES_L, x, colIdx[e] * width + j)
            .convertShape(VectorOperators.B2I, INT, 0));
      }
      a0.intoArray(row, j);
    }
    for (; j < width; j++) {
      int s = 0;
      for (int e = from; e < to; e++) {
        s += x[colIdx[e] * width + j];
      }
      row[j] = s;
    }
  }

  /** Columns {@code [j, j + 2S)} of edges {@code [from, to)} (at most 256) added into {@code row}. */
  private static void shortChunk2(int[] colIdx, byte[] x, int width, int j, int from, int to,
      int[] row) {
    ShortVector s0 = ShortVector.zero(SHORT);
    ShortVector s1 = s0;
    for (int e = from; e < to; e++) {
      int xo = colIdx[e] * width + j;
      s0 = s0.add((ShortVector) ByteVector.fromArray(BYTES_S, x, xo).convertShape(VectorOperators.B2S, SHORT, 0));
      s1 = s1.add((ShortVector) ByteVector.fromArray(BYTES_S, x, xo + S).convertShape(VectorOperators.B2S, SHORT, 0));
    }
    IntVector.fromArray(INT, row, j).add((IntVector) s0.convertShape(VectorOperators.S2I, INT, 0)).intoArray(row, j);
    IntVector.fromArray(INT, row, j + L).add((IntVector) s0.convertShape(VectorOperators.S2I, INT, 1)).intoArray(row, j + L);
    IntVector.fromArray(INT, row, j + S).add((IntVector) s1.convertShape(VectorOperators.S2I, INT, 0)).intoArray(row, j + S);
    IntVector.fromArray(INT, row, j + S + L).add((IntVector) s1.convertShape(VectorOperators.S2I, INT, 1)).intoArray(row, j + S + L);
  }

  /** Columns {@code [j, j + S)} of edges {@code [from, to)} (at most 256) added into {@code row}. */
  private static void shortChunk1(int[] colIdx, byte[] x, int width, int j, int from, int to,
      int[] row) {
    ShortVector s0 = ShortVector.zero(SHORT);
    for (int e = from; e < to; e++) {
      s0 = s0.add((ShortVector) ByteVector.fromArray(BYTES_S, x, colIdx[e] * width + j)
          .convertShape(VectorOperators.B2S, SHORT, 0));
    }
    IntVector.fromArray(INT, row, j).add((IntVector) s0.convertShape(VectorOperators.S2I, INT, 0)).intoArray(row, j);
    IntVector.fromArray(INT, row, j + L).add((IntVector) s0.convertShape(VectorOperators.S2I, INT, 1)).intoArray(row, j + L);
  }

  /** Aggregate codes, then bias and output codes of one target row, in float lanes. */
  private static void gcnRow(int[] row, int width, float am, float azp, float alo, float ahi, int za,
      int shift, int[] bias, float om, float ozp, float olo, float ohi, FloatRequant agg,
      FloatRequant output, byte[] out, int d) {
    int j = 0;
    for (; j + L <= width; j += L) {
      FloatVector f = ((FloatVector) IntVector.fromArray(INT, row, j)
          .convertShape(VectorOperators.I2F, FLOAT, 0)).mul(am).add(azp);
      f = f.blend(ahi, f.compare(VectorOperators.GT, ahi)).blend(alo, f.compare(VectorOperators.LT, alo))
          .add(FloatRequant.MAGIC);
      IntVector a = ((IntVector) f.reinterpretAsInts()).sub(FloatRequant.MAGIC_BITS + za)
          .lanewise(VectorOperators.LSHL, shift).add(IntVector.fromArray(INT, bias, j));
      FloatVector g = ((FloatVector) a.convertShape(VectorOperators.I2F, FLOAT, 0)).mul(om).add(ozp);
      g = g.blend(ohi, g.compare(VectorOperators.GT, ohi)).blend(olo, g.compare(VectorOperators.LT, olo))
          .add(FloatRequant.MAGIC);
      ((IntVector) g.reinterpretAsInts()).sub(FloatRequant.MAGIC_BITS)
          .convertShape(VectorOperators.I2B, BYTES_L, 0).reinterpretAsBytes().intoArray(out, d + j);
    }
    for (; j < width; j++) {
      int a = agg.applyFloat(row[j] * am);
      out[d + j] = (byte) output.apply(((a - za) << shift) + bias[j]);
    }
  }

  @Override
  public void quantize(float[] x, float invScale, float zeroPoint, float qmin, float qmax,
      int offset, byte[] out) {
    FusedArgs.quantize(x, qmin, qmax, offset, out);
    int i = 0;
    for (; i + L <= x.length; i += L) {
      FloatVector t = FloatVector.fromArray(FLOAT, x, i).mul(invScale).add(zeroPoint);
      t = t.blend(qmax, t.compare(VectorOperators.GT, qmax)).blend(qmin, t.compare(VectorOperators.LT, qmin))
          .blend(zeroPoint, t.test(VectorOperators.IS_NAN)).add(FloatRequant.MAGIC);
      ((IntVector) t.reinterpretAsInts()).sub(FloatRequant.MAGIC_BITS + offset)
          .convertShape(VectorOperators.I2B, BYTES_L, 0).reinterpretAsBytes().intoArray(out, i);
    }
    for (; i < x.length; i++) {
      out[i] = (byte) (ScalarFusedInt8Kernels.quantize(x[i], invScale, zeroPoint, qmin, qmax) - offset);
    }
  }

  @Override
  public void ginAggregate(CsrAdjacency adj, byte[] m, int width, int zm, FloatRequant agg, int za,
      int shift, float[] features, float selfFactor, byte[] codes, float[] selfLut,
      FloatRequant next, byte[] out) {
    FusedArgs.gin(adj, m, width, zm, za, shift, features, codes, selfLut, out);
    final int[] rowPtr = adj.rowPtr();
    final int[] colIdx = adj.colIdx();
    final int[] row = new int[width];
    final float[] self = new float[width];
    final boolean hasSelf = features != null || selfLut != null;
    for (int v = 0; v < adj.targets(); v++) {
      shortSums(rowPtr, colIdx, m, width, v, row);
      final int correction = zm * (rowPtr[v + 1] - rowPtr[v]);
      for (int i = 0; i < width; i++) {
        row[i] -= correction;
      }
      final int d = v * width;
      if (features != null) {
        for (int i = 0; i < width; i++) {
          self[i] = selfFactor * features[d + i];
        }
      } else if (selfLut != null) {
        for (int i = 0; i < width; i++) {
          self[i] = selfLut[codes[d + i] + 128];
        }
      }
      ginRow(row, self, hasSelf, width, agg.multiplier(), agg.zeroPoint(), agg.lo(), agg.hi(), za,
          shift, next.multiplier(), next.zeroPoint(), next.lo(), next.hi(), agg, next, out, d);
    }
  }

  /** Aggregate codes, self term and the next site's codes of one target row, in float lanes. */
  private static void ginRow(int[] row, float[] self, boolean hasSelf, int width, float am,
      float azp, float alo, float ahi, int za, int shift, float nm, float nzp, float nlo, float nhi,
      FloatRequant agg, FloatRequant next, byte[] out, int d) {
    int j = 0;
    for (; j + L <= width; j += L) {
      FloatVector f = ((FloatVector) IntVector.fromArray(INT, row, j)
          .convertShape(VectorOperators.I2F, FLOAT, 0)).mul(am).add(azp);
      f = f.blend(ahi, f.compare(VectorOperators.GT, ahi)).blend(alo, f.compare(VectorOperators.LT, alo))
          .add(FloatRequant.MAGIC);
      IntVector a = ((IntVector) f.reinterpretAsInts())
          .sub(FloatRequant.MAGIC_BITS + za).lanewise(VectorOperators.LSHL, shift);
      FloatVector t = ((FloatVector) a.convertShape(VectorOperators.I2F, FLOAT, 0)).mul(nm);
      if (hasSelf) {
        t = t.add(FloatVector.fromArray(FLOAT, self, j));
      }
      FloatVector g = t.add(nzp);
      g = g.blend(nhi, g.compare(VectorOperators.GT, nhi)).blend(nlo, g.compare(VectorOperators.LT, nlo))
          .add(FloatRequant.MAGIC);
      ((IntVector) g.reinterpretAsInts()).sub(FloatRequant.MAGIC_BITS)
          .convertShape(VectorOperators.I2B, BYTES_L, 0).reinterpretAsBytes().intoArray(out, d + j);
    }
    for (; j < width; j++) {
      int a = agg.apply(row[j]);
      float s = hasSelf ? self[j] : 0f;
      out[d + j] = (byte) next.applyFloat(((a - za) << shift) * nm + s);
    }
  }

  @Override
  public void denseRequantize(byte[] x, int rows, Int8DenseWeights w, FloatRequant rq, byte[] lut,
      byte[] out) {
    dense(x, rows, w, rq, lut, out);
  }

  /** Two rows at a time into int32 scratch, then each row requantized (and mapped). */
  private static void dense(byte[] x, int rows, Int8DenseWeights w, FloatRequant rq, byte[] lut,
      byte[] out) {
    final int k = w.k();
    final int n = w.n();
    KernelArgs.dense(x.length, rows, k, n, out.length);
    FusedArgs.lut(lut);
    final int np = w.paddedN();
    final int[] scratch = new int[2 * np];
    for (int r = 0; r < rows; r += 2) {
      final boolean pair = r + 1 < rows;
      // the exact kernels' product of two rows, then this arithmetic's requantization
      VectorInt8Kernels.twoRows(x, r * k, pair ? (r + 1) * k : r * k, k, w.centred(), w.columnTerms(),
          np, scratch);
      for (int h = 0; h < (pair ? 2 : 1); h++) {
        requantizeRow(scratch, h * np, n, rq.multiplier(), rq.zeroPoint(), rq.lo(), rq.hi(), rq,
            out, (r + h) * n);
        if (lut != null) {
          for (int c = (r + h) * n, end = c + n; c < end; c++) {
            out[c] = lut[out[c] + 128];
          }
        }
      }
    }
  }

  /** {@code out[o + c] = rq.apply(acc[a + c])} for {@code c < n}, float lanes. */
  private static void requantizeRow(int[] acc, int a, int n, float m, float zp, float lo, float hi,
      FloatRequant rq, byte[] out, int o) {
    int c = 0;
    for (; c + L <= n; c += L) {
      FloatVector f = ((FloatVector) IntVector.fromArray(INT, acc, a + c)
          .convertShape(VectorOperators.I2F, FLOAT, 0)).mul(m).add(zp);
      f = f.blend(hi, f.compare(VectorOperators.GT, hi)).blend(lo, f.compare(VectorOperators.LT, lo))
          .add(FloatRequant.MAGIC);
      ((IntVector) f.reinterpretAsInts()).sub(FloatRequant.MAGIC_BITS)
          .convertShape(VectorOperators.I2B, BYTES_L, 0).reinterpretAsBytes().intoArray(out, o + c);
    }
    for (; c < n; c++) {
      out[o + c] = (byte) rq.apply(acc[a + c]);
    }
  }
}
