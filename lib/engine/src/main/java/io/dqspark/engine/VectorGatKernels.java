package io.dqspark.engine;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API {@link GatKernels}; the integer pass is bit-identical to {@link ScalarGatKernels}.
 * Per target, passes over its in-edges, each vectorised where its data lies in a row, for head
 * counts {@code H} that divide the lane count {@code L} (16 with AVX-512, 8 with AVX2; other head
 * counts run the scalar reference):
 *
 * <ol>
 *   <li>logits and softmax numerators over the flat positions {@code q = e H + h}, {@code L} in
 *       lanes: the source scores gathered (through the CSR sources and the head), the logit codes,
 *       the table's numerators gathered by code; lane {@code i} (of 16, or of two vectors of 8)
 *       accumulates exactly the partial sum {@code S_i} of {@link GatKernels#numeratorSums}, and
 *       the lanes fold pairwise to each head's sum as the reference does;
 *   <li>each edge's message multipliers {@code alpha s_xw / s_msg}, in the same flat layout;
 *   <li>the messages of the source rows, {@code L} columns in float lanes, each rounded by one
 *       fused multiply-add onto {@code 1.5 * 2^23} whose bits are the rounded message, clamped to
 *       the MESSAGE site only for a target where a message could leave it, summed in int32 lanes;
 *       the edge's multiplier is broadcast when a column chunk lies in one head, else the edge's
 *       multipliers are spread across the chunk's heads by one rearrange.
 * </ol>
 * Then the aggregate, the head merge, bias and output, {@code L} columns at a time in float lanes.
 * The FP32 pass has the same structure (a max and exponentials in pass 1, no rounding in pass 3).
 *
 * <p>Only this CPU's preferred int and float shapes are used here. A vector carried around a loop
 * is never the receiver of an operation ({@code s = x.add(s)}, not {@code s.add(x)}; after the
 * loop {@code zero().add(s)}): the loop's merged value has no exact vector class when C2 parses
 * the call, which then dispatches on the JVM-wide type profile, and where other code uses a second
 * shape of the same element type (the exact kernels' 256-bit int lanes beside 512-bit ones) the
 * operation is not intrinsified and the vector is boxed. Vectors stay inside method bodies (design
 * §5.4: vector-typed helpers stop being inlined and box), no vector is carried around an outer
 * loop, and float clamps are compare-and-blend.
 */
final class VectorGatKernels implements GatKernels {
  private static final VectorSpecies<Integer> INT = IntVector.SPECIES_PREFERRED;
  private static final int L = INT.length();
  private static final VectorSpecies<Float> FLOAT = FloatVector.SPECIES_PREFERRED;
  /** L bytes: one int32 vector's worth of codes. */
  private static final VectorSpecies<Byte> BYTES_L =
      VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, L * 8)));
  private static final int P = GatKernels.PARTIAL_SUMS;
  /** Lane i reads lane i + 8 (i + 4, i + 2, i + 1), modulo L: one step of a pairwise fold (FOLD8 only with 16 lanes). */
  private static final VectorShuffle<Float> FOLD8 = VectorShuffle.fromOp(FLOAT, i -> (i + 8) % L);
  private static final VectorShuffle<Float> FOLD4 = VectorShuffle.fromOp(FLOAT, i -> (i + 4) % L);
  private static final VectorShuffle<Float> FOLD2 = VectorShuffle.fromOp(FLOAT, i -> (i + 2) % L);
  private static final VectorShuffle<Float> FOLD1 = VectorShuffle.fromOp(FLOAT, i -> (i + 1) % L);

  VectorGatKernels() {
    if ((L != 8 && L != 16) || FLOAT.length() != L || P != 16) {
      throw new UnsupportedOperationException("vector shapes: " + L + " int lanes, " + FLOAT.length() + " float lanes");
    }
  }

  @Override
  public String name() {
    return "vector";
  }

  /** {@code n} rounded up to whole blocks of {@code P}. */
  private static int roundUp(int n) {
    return (n + P - 1) / P * P;
  }

  /**
   * The per-call constants of a head layout: {@code qdiv[i] = i / H} and {@code hpat[i] = i % H}
   * (lane {@code i} of a flat vector holds edge {@code q0 / H + i / H}, head {@code i % H}), the
   * column chunks' first heads and the rearranges that spread an edge's multipliers across a
   * chunk, and the rearrange that repeats a head's value over the flat lanes.
   */
  private static final class Layout {
    final int heads;
    final int f;
    final int width;
    final int chunks;
    final boolean oneHead;
    final int[] qdiv = new int[L];
    final int[] hpat = new int[L];
    final int[] base;
    final VectorShuffle<Float>[] spread;
    /** Lane i reads lane i % H: a head's value repeated over the flat lanes. */
    final VectorShuffle<Float> modH;

    @SuppressWarnings("unchecked")
    Layout(int heads, int f) {
      this.heads = heads;
      this.f = f;
      this.width = heads * f;
      this.chunks = width / L;
      this.oneHead = f % L == 0; // every column chunk lies in one head
      for (int i = 0; i < L; i++) {
        qdiv[i] = i / heads;
        hpat[i] = i % heads;
      }
      base = new int[chunks];
      spread = new VectorShuffle[chunks];
      for (int c = 0; c < chunks; c++) {
        base[c] = c * L / f;
        int[] s = new int[L];
        for (int i = 0; i < L; i++) {
          s[i] = (c * L + i) / f - base[c];
        }
        spread[c] = VectorShuffle.fromArray(FLOAT, s, 0);
      }
      modH = VectorShuffle.fromOp(FLOAT, i -> i % heads);
    }
  }

  /**
   * {@code gidx[e] = colIdx[begin + e] * heads}: where edge {@code e}'s source scores start; 0 (a
   * valid index) up to the next whole block of {@code P} edges.
   */
  private static void sourceOffsets(int[] colIdx, int begin, int degree, int heads, int[] gidx) {
    final IntVector lane = IntVector.zero(INT).addIndex(1);
    final int end = roundUp(degree);
    int e = 0;
    // whole vectors of colIdx, the lanes past the degree zeroed, while they lie inside the array
    for (; e < end && begin + e + L <= colIdx.length; e += L) {
      IntVector.fromArray(INT, colIdx, begin + e).blend(0, lane.compare(VectorOperators.GE, degree - e))
          .mul(heads).intoArray(gidx, e);
    }
    for (; e < end; e++) {
      gidx[e] = e < degree ? colIdx[begin + e] * heads : 0;
    }
  }

  @Override
  public void int8Layer(GatInt8Pass p, CsrAdjacency adj, byte[] z, float[] sf, float[] df,
      byte[] out) {
    final int heads = p.heads();
    if (L % heads != 0) {
      ScalarGatKernels.INSTANCE.int8Layer(p, adj, z, sf, df, out);
      return;
    }
    final int f = p.outPerHead();
    final int width = p.width();
    final int nOut = p.nOut();
    GatArgs.check(adj, heads, width, nOut, z.length, sf, df, out.length);
    final Layout lay = new Layout(heads, f);
    final int[] rowPtr = adj.rowPtr();
    final int[] colIdx = adj.colIdx();
    final int zx = p.xwZeroPoint();
    final int maxDegree = GatArgs.maxDegree(adj);
    // flat, edge-major (q = e H + h), padded to whole blocks of P and by a vector for the spreads
    final int maxFlat = roundUp(maxDegree * heads) + L;
    final float[] w = new float[maxFlat];
    final float[] k = new float[maxFlat];
    final int[] gidx = new int[roundUp(maxDegree) + L];
    final float[] den = new float[L];
    final float[] r = new float[L];
    final int[] sidx = new int[L];
    final int[] codes = new int[maxFlat];
    final int[] acc = new int[width];
    final int[] agg = new int[width];
    final int lowest = FloatRequant.MAGIC_BITS + p.messageMin();
    final int highest = FloatRequant.MAGIC_BITS + p.messageMax();
    // no message can leave the site's range when |z - z_xw| k stays under it by half a step
    final float zmax = Math.max(127 - zx, zx + 128);
    final float safe = Math.min(p.messageMax(), -p.messageMin()) - 0.5f;
    for (int v = 0; v < adj.targets(); v++) {
      final int begin = rowPtr[v];
      final int degree = rowPtr[v + 1] - begin;
      final int n = degree * heads;
      sourceOffsets(colIdx, begin, degree, heads, gidx);
      // logit codes, table numerators and each head's sum
      logitCodes(p, lay, gidx, n, sf, df, v * heads, r, sidx, codes);
      numerators(p, heads, codes, n, w, den);
      float rmax = 0f;
      for (int h = 0; h < heads; h++) {
        r[h] = p.message() / den[h];
        rmax = Math.max(rmax, r[h]);
      }
      // alpha s_xw / s_msg per edge and head
      multipliers(lay, w, roundUp(n), r, k);
      // k = w r <= r (a numerator is at most 1), so no message needs the clamp when zmax r <= safe
      final boolean clamp = !(rmax * zmax <= safe);
      // every message rounded, summed exactly in int32, L columns at a time
      for (int c = 0; c < lay.chunks; c++) {
        final int j0 = c * L;
        if (lay.oneHead) {
          messagesOneHead(z, colIdx, begin, degree, width, j0, zx, k, heads, j0 / f, clamp,
              lowest, highest, acc);
        } else {
          messagesSpread(z, colIdx, begin, degree, width, j0, zx, k, heads, lay.base[c],
              lay.spread[c], clamp, lowest, highest, acc);
        }
      }
      for (int j = lay.chunks * L; j < width; j++) {
        int h = j / f;
        int s = -degree * FloatRequant.MAGIC_BITS;
        for (int e = 0; e < degree; e++) {
          int x = z[colIdx[begin + e] * width + j] - zx;
          int bits = Float.floatToRawIntBits(Math.fma((float) x, k[e * heads + h], FloatRequant.MAGIC));
          s += Math.max(lowest, Math.min(highest, bits));
        }
        acc[j] = s;
      }
      if (degree == 0) {
        java.util.Arrays.fill(agg, 0);
      } else {
        aggregate(p.aggregate(), acc, width, agg);
      }
      merge(p, agg, nOut, out, v * nOut);
    }
  }

  /**
   * The logit codes (minus {@code logitMin}: table indices) of a target's {@code n} flat positions
   * into {@code codes}, {@code L} in lanes, up to the next whole block of {@code P}; lanes past
   * {@code n} (whose sources are 0) get valid codes that {@link #numerators} zeroes.
   */
  private static void logitCodes(GatInt8Pass p, Layout lay, int[] gidx, int n, float[] sf,
      float[] df, int dOffset, float[] row, int[] sidx, int[] codes) {
    final int heads = lay.heads;
    final float lo = p.logitMin();
    final float hi = p.logitMax();
    final int offset = FloatRequant.MAGIC_BITS + p.logitMin();
    final IntVector hp = IntVector.fromArray(INT, lay.hpat, 0);
    // with two edges per vector, the lanes of the second one
    final VectorMask<Integer> second = IntVector.zero(INT).addIndex(1).compare(VectorOperators.GE, heads);
    System.arraycopy(df, dOffset, row, 0, heads);
    final FloatVector d = FloatVector.fromArray(FLOAT, row, 0).rearrange(lay.modH);
    for (int q = 0, end = roundUp(n); q < end; q += L) {
      // one head: the CSR sources are the gather's indices; else source * H + head
      if (heads == L) {
        IntVector.broadcast(INT, gidx[q / heads]).add(hp).intoArray(sidx, 0);
      } else if (2 * heads == L) {
        IntVector.broadcast(INT, gidx[q / heads]).blend(gidx[q / heads + 1], second).add(hp)
            .intoArray(sidx, 0);
      } else if (heads > 1) {
        IntVector.fromArray(INT, gidx, q / heads, lay.qdiv, 0).add(hp).intoArray(sidx, 0);
      }
      FloatVector t = FloatVector.fromArray(FLOAT, sf, 0, heads == 1 ? gidx : sidx, heads == 1 ? q : 0)
          .add(d);
      t = t.blend(hi, t.compare(VectorOperators.GT, hi)).blend(lo, t.compare(VectorOperators.LT, lo))
          .add(FloatRequant.MAGIC);
      ((IntVector) t.reinterpretAsInts()).sub(offset).intoArray(codes, q);
    }
  }

  /**
   * The numerators {@code w[q] = weights[codes[q]]} of a target's {@code n} flat positions,
   * {@code L} in lanes, and each head's sum into {@code den[0 .. H)}: lane {@code i} (of 16, or of
   * two vectors of 8) accumulates the partial sum {@code S_i} of {@link GatKernels#numeratorSums},
   * then the lanes fold pairwise as it does. The last block runs in full: lanes past {@code n} are
   * zeroed before they are stored or summed, so they add exactly nothing.
   */
  private static void numerators(GatInt8Pass p, int heads, int[] codes, int n, float[] w,
      float[] den) {
    final float[] table = p.weights();
    final FloatVector lane = FloatVector.zero(FLOAT).addIndex(1);
    FloatVector p0 = FloatVector.zero(FLOAT);
    FloatVector p1 = p0;
    for (int q0 = 0; q0 < n; q0 += P) {
      FloatVector x = FloatVector.fromArray(FLOAT, table, 0, codes, q0)
          .blend(0f, lane.compare(VectorOperators.GE, (float) (n - q0)));
      x.intoArray(w, q0);
      p0 = x.add(p0);
      if (L < P) {
        FloatVector x1 = FloatVector.fromArray(FLOAT, table, 0, codes, q0 + L)
            .blend(0f, lane.compare(VectorOperators.GE, (float) (n - q0 - L)));
        x1.intoArray(w, q0 + L);
        p1 = x1.add(p1);
      }
    }
    // S_i + S_(i+8) (16 lanes: a rearrange; 8 lanes: the two vectors), then the halves down to H
    FloatVector s = FloatVector.zero(FLOAT).add(p0);
    if (L < P) {
      s = s.add(p1);
    } else if (heads <= 8) {
      s = s.add(s.rearrange(FOLD8));
    }
    if (heads <= 4) {
      s = s.add(s.rearrange(FOLD4));
    }
    if (heads <= 2) {
      s = s.add(s.rearrange(FOLD2));
    }
    if (heads == 1) {
      s = s.add(s.rearrange(FOLD1));
    }
    s.intoArray(den, 0);
  }

  /** {@code k[q] = w[q] r[q % H]} over {@code n} flat positions (a whole number of blocks). */
  private static void multipliers(Layout lay, float[] w, int n, float[] r, float[] k) {
    final FloatVector rp = FloatVector.fromArray(FLOAT, r, 0).rearrange(lay.modH);
    for (int q = 0; q < n; q += L) {
      FloatVector.fromArray(FLOAT, w, q).mul(rp).intoArray(k, q);
    }
  }

  /** Columns {@code [j0, j0 + L)} of head {@code h}: each edge's multiplier {@code k[e H + h]} broadcast. */
  private static void messagesOneHead(byte[] z, int[] colIdx, int begin, int degree, int width,
      int j0, int zx, float[] k, int heads, int h, boolean clamp, int lowest, int highest,
      int[] acc) {
    IntVector s = IntVector.broadcast(INT, -degree * FloatRequant.MAGIC_BITS);
    if (clamp) {
      for (int e = 0; e < degree; e++) {
        FloatVector x = (FloatVector) ((IntVector) ByteVector.fromArray(BYTES_L, z, colIdx[begin + e] * width + j0)
            .convertShape(VectorOperators.B2I, INT, 0)).sub(zx).convertShape(VectorOperators.I2F, FLOAT, 0);
        IntVector m = (IntVector) x.fma(FloatVector.broadcast(FLOAT, k[e * heads + h]),
            FloatVector.broadcast(FLOAT, FloatRequant.MAGIC)).reinterpretAsInts();
        s = m.blend(lowest, m.compare(VectorOperators.LT, lowest))
            .blend(highest, m.compare(VectorOperators.GT, highest)).add(s);
      }
    } else {
      for (int e = 0; e < degree; e++) {
        FloatVector x = (FloatVector) ((IntVector) ByteVector.fromArray(BYTES_L, z, colIdx[begin + e] * width + j0)
            .convertShape(VectorOperators.B2I, INT, 0)).sub(zx).convertShape(VectorOperators.I2F, FLOAT, 0);
        s = ((IntVector) x.fma(FloatVector.broadcast(FLOAT, k[e * heads + h]),
            FloatVector.broadcast(FLOAT, FloatRequant.MAGIC)).reinterpretAsInts()).add(s);
      }
    }
    IntVector.zero(INT).add(s).intoArray(acc, j0);
  }

  /**
   * Columns {@code [j0, j0 + L)} spanning heads {@code base ..}: the edge's multipliers {@code
   * k[e H + base ..]} spread across the chunk by one rearrange.
   */
  private static void messagesSpread(byte[] z, int[] colIdx, int begin, int degree, int width,
      int j0, int zx, float[] k, int heads, int base, VectorShuffle<Float> sh, boolean clamp,
      int lowest, int highest, int[] acc) {
    IntVector s = IntVector.broadcast(INT, -degree * FloatRequant.MAGIC_BITS);
    if (clamp) {
      for (int e = 0; e < degree; e++) {
        FloatVector x = (FloatVector) ((IntVector) ByteVector.fromArray(BYTES_L, z, colIdx[begin + e] * width + j0)
            .convertShape(VectorOperators.B2I, INT, 0)).sub(zx).convertShape(VectorOperators.I2F, FLOAT, 0);
        IntVector m = (IntVector) x.fma(FloatVector.fromArray(FLOAT, k, e * heads + base).rearrange(sh),
            FloatVector.broadcast(FLOAT, FloatRequant.MAGIC)).reinterpretAsInts();
        s = m.blend(lowest, m.compare(VectorOperators.LT, lowest))
            .blend(highest, m.compare(VectorOperators.GT, highest)).add(s);
      }
    } else {
      for (int e = 0; e < degree; e++) {
        FloatVector x = (FloatVector) ((IntVector) ByteVector.fromArray(BYTES_L, z, colIdx[begin + e] * width + j0)
            .convertShape(VectorOperators.B2I, INT, 0)).sub(zx).convertShape(VectorOperators.I2F, FLOAT, 0);
        s = ((IntVector) x.fma(FloatVector.fromArray(FLOAT, k, e * heads + base).rearrange(sh),
            FloatVector.broadcast(FLOAT, FloatRequant.MAGIC)).reinterpretAsInts()).add(s);
      }
    }
    IntVector.zero(INT).add(s).intoArray(acc, j0);
  }

  /** {@code agg[j] = rq.apply(acc[j]) - zeroPoint}, float lanes. */
  private static void aggregate(FloatRequant rq, int[] acc, int width, int[] agg) {
    final float m = rq.multiplier();
    final float zp = rq.zeroPoint();
    final float lo = rq.lo();
    final float hi = rq.hi();
    final int za = (int) zp;
    int j = 0;
    for (; j + L <= width; j += L) {
      FloatVector t = ((FloatVector) IntVector.fromArray(INT, acc, j)
          .convertShape(VectorOperators.I2F, FLOAT, 0)).mul(m).add(zp);
      t = t.blend(hi, t.compare(VectorOperators.GT, hi)).blend(lo, t.compare(VectorOperators.LT, lo))
          .add(FloatRequant.MAGIC);
      ((IntVector) t.reinterpretAsInts()).sub(FloatRequant.MAGIC_BITS + za).intoArray(agg, j);
    }
    for (; j < width; j++) {
      agg[j] = rq.apply(acc[j]) - za;
    }
  }

  /** Heads merged, bias and output codes of one target, float lanes. */
  private static void merge(GatInt8Pass p, int[] agg, int nOut, byte[] out, int o) {
    final int merged = p.merged();
    final int shift = p.shift();
    final int[] bias = p.bias();
    final float om = p.output().multiplier();
    final float ozp = p.output().zeroPoint();
    final float olo = p.output().lo();
    final float ohi = p.output().hi();
    int j = 0;
    for (; j + L <= nOut; j += L) {
      IntVector m = IntVector.fromArray(INT, agg, j);
      for (int h = 1; h < merged; h++) {
        m = m.add(IntVector.fromArray(INT, agg, h * nOut + j));
      }
      m = m.lanewise(VectorOperators.LSHL, shift).add(IntVector.fromArray(INT, bias, j));
      FloatVector t = ((FloatVector) m.convertShape(VectorOperators.I2F, FLOAT, 0)).mul(om).add(ozp);
      t = t.blend(ohi, t.compare(VectorOperators.GT, ohi)).blend(olo, t.compare(VectorOperators.LT, olo))
          .add(FloatRequant.MAGIC);
      ((IntVector) t.reinterpretAsInts()).sub(FloatRequant.MAGIC_BITS)
          .convertShape(VectorOperators.I2B, BYTES_L, 0).reinterpretAsBytes().intoArray(out, o + j);
    }
    for (; j < nOut; j++) {
      int s = 0;
      for (int h = 0; h < merged; h++) {
        s += agg[h * nOut + j];
      }
      out[o + j] = (byte) p.output().apply((s << shift) + bias[j]);
    }
  }

  @Override
  public void fp32Layer(GatFloatPass p, CsrAdjacency adj, float[] z, float[] sf, float[] df,
      float[] out) {
    final int heads = p.heads();
    if (L % heads != 0) {
      ScalarGatKernels.INSTANCE.fp32Layer(p, adj, z, sf, df, out);
      return;
    }
    final int f = p.outPerHead();
    final int width = p.width();
    final int nOut = p.nOut();
    GatArgs.check(adj, heads, width, nOut, z.length, sf, df, out.length);
    final Layout lay = new Layout(heads, f);
    final int[] rowPtr = adj.rowPtr();
    final int[] colIdx = adj.colIdx();
    final int maxDegree = GatArgs.maxDegree(adj);
    // flat, edge-major (q = e H + h), padded to whole blocks of P and by a vector for the spreads
    final float[] w = new float[roundUp(maxDegree * heads) + L];
    final int[] gidx = new int[roundUp(maxDegree) + L];
    final float[] max = new float[L];
    final float[] row = new float[L];
    final float[] den = new float[2 * L];
    final int[] idx = new int[L];
    final float[] agg = new float[width];
    for (int v = 0; v < adj.targets(); v++) {
      final int begin = rowPtr[v];
      final int degree = rowPtr[v + 1] - begin;
      final int n = degree * heads;
      sourceOffsets(colIdx, begin, degree, heads, gidx);
      // LeakyReLU logits and each head's largest, then exp(l - max) and each head's sum
      leakyLogits(lay, gidx, n, sf, df, v * heads, row, idx, w, max);
      exps(lay, w, roundUp(n), max, den);
      // the weighted sums, divided by each head's sum
      for (int c = 0; c < lay.chunks; c++) {
        final int j0 = c * L;
        if (lay.oneHead) {
          floatSumsOneHead(z, colIdx, begin, degree, width, j0, w, heads, j0 / f, den[j0 / f], agg);
        } else {
          floatSumsSpread(z, colIdx, begin, degree, width, j0, w, heads, lay.base[c], lay.spread[c],
              den, agg);
        }
      }
      for (int j = lay.chunks * L; j < width; j++) {
        int h = j / f;
        float s = 0f;
        for (int e = 0; e < degree; e++) {
          s = Math.fma(w[e * heads + h], z[colIdx[begin + e] * width + j], s);
        }
        agg[j] = s / den[h];
      }
      if (degree == 0) {
        java.util.Arrays.fill(agg, 0f);
      }
      mergeFloat(p, agg, nOut, out, v * nOut);
    }
  }

  /**
   * The LeakyReLU logits of a target's {@code n} flat positions into {@code w}, {@code L} in lanes
   * (the lanes past {@code n} at minus infinity), and each head's largest into {@code max[0 .. H)}.
   */
  private static void leakyLogits(Layout lay, int[] gidx, int n, float[] sf, float[] df,
      int dOffset, float[] row, int[] idx, float[] w, float[] max) {
    final int heads = lay.heads;
    final float slope = GatFloatPass.NEGATIVE_SLOPE;
    final FloatVector lane = FloatVector.zero(FLOAT).addIndex(1);
    final IntVector hp = IntVector.fromArray(INT, lay.hpat, 0);
    // with two edges per vector, the lanes of the second one
    final VectorMask<Integer> second = IntVector.zero(INT).addIndex(1).compare(VectorOperators.GE, heads);
    System.arraycopy(df, dOffset, row, 0, heads);
    final FloatVector d = FloatVector.fromArray(FLOAT, row, 0).rearrange(lay.modH);
    FloatVector mx = FloatVector.broadcast(FLOAT, Float.NEGATIVE_INFINITY);
    // every block up to the padded length (with 8 lanes, a block of 16 may hold no position at all)
    for (int q = 0, end = roundUp(n); q < end; q += L) {
      if (heads == L) {
        IntVector.broadcast(INT, gidx[q / heads]).add(hp).intoArray(idx, 0);
      } else if (2 * heads == L) {
        IntVector.broadcast(INT, gidx[q / heads]).blend(gidx[q / heads + 1], second).add(hp)
            .intoArray(idx, 0);
      } else if (heads > 1) {
        IntVector.fromArray(INT, gidx, q / heads, lay.qdiv, 0).add(hp).intoArray(idx, 0);
      }
      FloatVector t = FloatVector.fromArray(FLOAT, sf, 0, heads == 1 ? gidx : idx, heads == 1 ? q : 0)
          .add(d);
      FloatVector l = t.mul(slope).blend(t, t.compare(VectorOperators.GT, 0f))
          .blend(Float.NEGATIVE_INFINITY, lane.compare(VectorOperators.GE, (float) (n - q)));
      l.intoArray(w, q);
      mx = l.blend(mx, l.compare(VectorOperators.LE, mx));
    }
    // the lanes of one head folded pairwise down to H lanes
    FloatVector m = FloatVector.zero(FLOAT).add(mx);
    FloatVector r;
    if (L == 16 && heads <= 8) {
      r = m.rearrange(FOLD8);
      m = m.blend(r, r.compare(VectorOperators.GT, m));
    }
    if (heads <= 4) {
      r = m.rearrange(FOLD4);
      m = m.blend(r, r.compare(VectorOperators.GT, m));
    }
    if (heads <= 2) {
      r = m.rearrange(FOLD2);
      m = m.blend(r, r.compare(VectorOperators.GT, m));
    }
    if (heads == 1) {
      r = m.rearrange(FOLD1);
      m = m.blend(r, r.compare(VectorOperators.GT, m));
    }
    m.intoArray(max, 0);
  }

  /**
   * {@code w = exp(w - max[q % H])} over {@code n} padded flat positions (the Vector API's
   * exponential; padding at minus infinity gives 0), and each head's sum into {@code den[0 .. H)}.
   */
  private static void exps(Layout lay, float[] w, int n, float[] max, float[] den) {
    final int heads = lay.heads;
    final FloatVector m = FloatVector.fromArray(FLOAT, max, 0).rearrange(lay.modH);
    FloatVector s = FloatVector.zero(FLOAT);
    for (int q = 0; q < n; q += L) {
      FloatVector x = FloatVector.fromArray(FLOAT, w, q).sub(m).lanewise(VectorOperators.EXP);
      x.intoArray(w, q);
      s = x.add(s);
    }
    FloatVector t = FloatVector.zero(FLOAT).add(s);
    if (L == 16 && heads <= 8) {
      t = t.add(t.rearrange(FOLD8));
    }
    if (heads <= 4) {
      t = t.add(t.rearrange(FOLD4));
    }
    if (heads <= 2) {
      t = t.add(t.rearrange(FOLD2));
    }
    if (heads == 1) {
      t = t.add(t.rearrange(FOLD1));
    }
    t.intoArray(den, 0);
  }

  private static void floatSumsOneHead(float[] z, int[] colIdx, int begin, int degree, int width,
      int j0, float[] w, int heads, int h, float den, float[] agg) {
    FloatVector s = FloatVector.zero(FLOAT);
    for (int e = 0; e < degree; e++) {
      s = FloatVector.fromArray(FLOAT, z, colIdx[begin + e] * width + j0)
          .fma(FloatVector.broadcast(FLOAT, w[e * heads + h]), s);
    }
    FloatVector.zero(FLOAT).add(s).div(den).intoArray(agg, j0);
  }

  private static void floatSumsSpread(float[] z, int[] colIdx, int begin, int degree, int width,
      int j0, float[] w, int heads, int base, VectorShuffle<Float> sh, float[] den, float[] agg) {
    FloatVector s = FloatVector.zero(FLOAT);
    for (int e = 0; e < degree; e++) {
      s = FloatVector.fromArray(FLOAT, z, colIdx[begin + e] * width + j0)
          .fma(FloatVector.fromArray(FLOAT, w, e * heads + base).rearrange(sh), s);
    }
    FloatVector.zero(FLOAT).add(s).div(FloatVector.fromArray(FLOAT, den, base).rearrange(sh))
        .intoArray(agg, j0);
  }

  /** Heads merged, bias, activation of one target, float lanes. */
  private static void mergeFloat(GatFloatPass p, float[] agg, int nOut, float[] out, int o) {
    final int merged = p.merged();
    final float scale = 1f / merged;
    final float[] bias = p.bias();
    final int act = p.activation();
    int j = 0;
    for (; j + L <= nOut; j += L) {
      FloatVector m = FloatVector.fromArray(FLOAT, agg, j);
      for (int h = 1; h < merged; h++) {
        m = m.add(FloatVector.fromArray(FLOAT, agg, h * nOut + j));
      }
      FloatVector y = m.mul(scale).add(FloatVector.fromArray(FLOAT, bias, j));
      if (act == GatFloatPass.RELU) {
        y = FloatVector.zero(FLOAT).blend(y, y.compare(VectorOperators.GT, 0f));
      } else if (act == GatFloatPass.ELU) {
        y = y.lanewise(VectorOperators.EXPM1).blend(y, y.compare(VectorOperators.GT, 0f));
      }
      y.intoArray(out, o + j);
    }
    for (; j < nOut; j++) {
      float s = 0f;
      for (int h = 0; h < merged; h++) {
        s += agg[h * nOut + j];
      }
      float y = s * scale + bias[j];
      if (act == GatFloatPass.RELU) {
        y = y > 0 ? y : 0f;
      } else if (act == GatFloatPass.ELU && !(y > 0)) {
        y = (float) Math.expm1(y);
      }
      out[o + j] = y;
    }
  }
}
