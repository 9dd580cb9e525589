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
 * Per target, passes over its in-edges, each vectorised where its data lies in a row:
 *
 * <ol>
 *   <li>per head, {@code L} edges in lanes (16 with AVX-512, 8 with AVX2): the source scores
 *       gathered through the CSR sources, the logit codes, the table's numerators gathered by
 *       code; lane {@code i} (of 16, or of two 8-lane vectors) accumulates exactly the partial sum
 *       {@code P_i} of the reference;
 *   <li>per head, each edge's message multiplier {@code alpha s_xw / s_msg};
 *   <li>the messages of the source rows, {@code L} columns in float lanes, each rounded by one
 *       fused multiply-add onto {@code 1.5 * 2^23} whose bits are the rounded message, clamped to
 *       the MESSAGE site only for a target where a message could leave it, summed in int32 lanes;
 *       the edge's multiplier is broadcast when a column chunk lies in one head, two broadcasts
 *       are blended when it spans two (8-wide heads with AVX-512), else the multipliers are laid
 *       out edge by edge and spread across the chunk's heads by a rearrange.
 * </ol>
 * Then the aggregate, the head merge, bias and output, {@code L} columns at a time in float lanes.
 * Only this CPU's preferred int and float shapes are used here. Where a vector carried around a
 * loop is stored or reduced after it, it first goes through an operation on a fresh vector
 * ({@code zero().add(v)}): the loop's merged value has no exact vector class when C2 parses the
 * store, which then dispatches on the JVM-wide type profile, and where other code uses a second
 * shape of the same element type (the exact kernels' 256-bit int lanes beside 512-bit ones) the
 * store is not intrinsified and the vector is boxed. Vectors stay inside method bodies (design
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

  VectorGatKernels() {
    if ((L != 8 && L != 16) || FLOAT.length() != L || P != 16) {
      throw new UnsupportedOperationException("vector shapes: " + L + " int lanes, " + FLOAT.length() + " float lanes");
    }
  }

  @Override
  public String name() {
    return "vector";
  }

  /** How a column chunk of {@code L} columns finds its heads' weights. */
  private static int layout(int f) {
    return f % L == 0 ? 1 : 2 * f == L ? 2 : 0;
  }

  private static int[] chunkShuffle(int c, int f) {
    int[] s = new int[L];
    for (int i = 0; i < L; i++) {
      s[i] = (c * L + i) / f - c * L / f;
    }
    return s;
  }

  /**
   * {@code gidx[e] = colIdx[begin + e] * heads}: where edge {@code e}'s source scores start; 0 (a
   * valid index) up to the next whole block of {@code P} edges.
   */
  private static void sourceOffsets(int[] colIdx, int begin, int degree, int heads, int[] gidx) {
    int e = 0;
    for (; e + L <= degree; e += L) {
      IntVector.fromArray(INT, colIdx, begin + e).mul(heads).intoArray(gidx, e);
    }
    for (; e < degree; e++) {
      gidx[e] = colIdx[begin + e] * heads;
    }
    for (int end = roundUp(degree); e < end; e++) {
      gidx[e] = 0;
    }
  }

  /** {@code n} rounded up to whole blocks of {@code P} edges. */
  private static int roundUp(int n) {
    return (n + P - 1) / P * P;
  }

  @Override
  @SuppressWarnings("unchecked")
  public void int8Layer(GatInt8Pass p, CsrAdjacency adj, byte[] z, float[] sf, float[] df,
      byte[] out) {
    final int heads = p.heads();
    final int f = p.outPerHead();
    final int width = p.width();
    final int nOut = p.nOut();
    GatArgs.check(adj, heads, width, nOut, z.length, sf, df, out.length);
    final int[] rowPtr = adj.rowPtr();
    final int[] colIdx = adj.colIdx();
    final int zx = p.xwZeroPoint();
    final int maxDegree = GatArgs.maxDegree(adj);
    // head-major: head h's numerators and message multipliers of a target's edges at h * degree
    // padded to whole blocks of P edges: the last block runs in full, its extra lanes zeroed
    final int maxStride = roundUp(maxDegree);
    final float[] w = new float[maxStride * heads];
    final float[] k = new float[maxStride * heads];
    final int layout = layout(f);
    // edge-major copy for the rearranged layout, padded by a vector
    final float[] byEdge = new float[layout == 0 ? maxDegree * heads + L : 0];
    final int[] gidx = new int[maxStride];
    final float[] partial = new float[P];
    final float[] lanes = new float[L];
    final int[] acc = new int[width];
    final int[] agg = new int[width];
    final int[] idx = new int[L];
    final int chunks = width / L;
    final VectorShuffle<Float>[] shuffles = new VectorShuffle[chunks];
    for (int c = 0; c < chunks; c++) {
      shuffles[c] = VectorShuffle.fromArray(FLOAT, chunkShuffle(c, f), 0);
    }
    final int lowest = FloatRequant.MAGIC_BITS + p.messageMin();
    final int highest = FloatRequant.MAGIC_BITS + p.messageMax();
    // no message can leave the site's range when |z - z_xw| k stays under it by half a step
    final float zmax = Math.max(127 - zx, zx + 128);
    final float safe = Math.min(p.messageMax(), -p.messageMin()) - 0.5f;
    for (int v = 0; v < adj.targets(); v++) {
      final int begin = rowPtr[v];
      final int degree = rowPtr[v + 1] - begin;
      final int ds = roundUp(degree);
      sourceOffsets(colIdx, begin, degree, heads, gidx);
      float kmax = 0f;
      for (int h = 0; h < heads; h++) {
        // logit codes, table numerators, their partial sums, then alpha s_xw / s_msg
        logits(p, gidx, degree, sf, df[v * heads + h], h, idx, w, h * ds, partial);
        float d = 0f;
        for (int i = 0; i < P; i++) {
          d += partial[i];
        }
        kmax = Math.max(kmax, multipliers(w, h * ds, ds, p.message() / d, k, lanes));
      }
      if (layout == 0) {
        for (int e = 0; e < degree; e++) {
          for (int h = 0; h < heads; h++) {
            byEdge[e * heads + h] = k[h * ds + e];
          }
        }
      }
      final boolean clamp = !(kmax * zmax <= safe);
      // every message rounded, summed exactly in int32, L columns at a time
      for (int c = 0; c < chunks; c++) {
        final int j0 = c * L;
        if (layout == 1) {
          messagesOneHead(z, colIdx, begin, degree, width, j0, zx, k, j0 / f * ds, clamp,
              lowest, highest, acc);
        } else if (layout == 2) {
          messagesTwoHeads(z, colIdx, begin, degree, ds, width, j0, zx, f, k, (j0 / f) * ds, clamp,
              lowest, highest, acc);
        } else {
          messagesShuffled(z, colIdx, begin, degree, width, j0, zx, heads, j0 / f, shuffles[c],
              byEdge, clamp, lowest, highest, acc);
        }
      }
      for (int j = chunks * L; j < width; j++) {
        int h = j / f;
        int s = -degree * FloatRequant.MAGIC_BITS;
        for (int e = 0; e < degree; e++) {
          int x = z[colIdx[begin + e] * width + j] - zx;
          int bits = Float.floatToRawIntBits(Math.fma((float) x, k[h * ds + e], FloatRequant.MAGIC));
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
   * One head's numerators of a target's edges into {@code w[o ..]}, {@code L} edges in lanes, and
   * the partial sums {@code P_i} of the reference (16 lanes, or two vectors of 8). The last block
   * runs in full: lanes past the degree (whose {@code gidx} is 0) are zeroed before they are
   * stored or summed, so they add exactly nothing to a partial sum.
   */
  private static void logits(GatInt8Pass p, int[] gidx, int degree, float[] sf, float d, int h,
      int[] idx, float[] w, int o, float[] partial) {
    final float lo = p.logitMin();
    final float hi = p.logitMax();
    final float[] table = p.weights();
    final int offset = FloatRequant.MAGIC_BITS + p.logitMin();
    final FloatVector lane = FloatVector.zero(FLOAT).addIndex(1);
    FloatVector p0 = FloatVector.zero(FLOAT);
    FloatVector p1 = p0;
    for (int e = 0; e < degree; e += P) {
      FloatVector t = FloatVector.fromArray(FLOAT, sf, h, gidx, e).add(d);
      t = t.blend(hi, t.compare(VectorOperators.GT, hi)).blend(lo, t.compare(VectorOperators.LT, lo))
          .add(FloatRequant.MAGIC);
      ((IntVector) t.reinterpretAsInts()).sub(offset).intoArray(idx, 0);
      FloatVector x = FloatVector.fromArray(FLOAT, table, 0, idx, 0)
          .blend(0f, lane.compare(VectorOperators.GE, (float) (degree - e)));
      x.intoArray(w, o + e);
      p0 = p0.add(x);
      if (L < P) {
        FloatVector t1 = FloatVector.fromArray(FLOAT, sf, h, gidx, e + L).add(d);
        t1 = t1.blend(hi, t1.compare(VectorOperators.GT, hi)).blend(lo, t1.compare(VectorOperators.LT, lo))
            .add(FloatRequant.MAGIC);
        ((IntVector) t1.reinterpretAsInts()).sub(offset).intoArray(idx, 0);
        FloatVector x1 = FloatVector.fromArray(FLOAT, table, 0, idx, 0)
            .blend(0f, lane.compare(VectorOperators.GE, (float) (degree - e - L)));
        x1.intoArray(w, o + e + L);
        p1 = p1.add(x1);
      }
    }
    FloatVector.zero(FLOAT).add(p0).intoArray(partial, 0);
    if (L < P) {
      FloatVector.zero(FLOAT).add(p1).intoArray(partial, L);
    }
  }

  /**
   * {@code k[o + e] = w[o + e] r} for one head's edges, {@code n} of them padded with zero
   * numerators to a whole number of vectors; returns the largest.
   */
  private static float multipliers(float[] w, int o, int n, float r, float[] k, float[] lanes) {
    FloatVector mx = FloatVector.zero(FLOAT);
    for (int e = 0; e < n; e += L) {
      FloatVector x = FloatVector.fromArray(FLOAT, w, o + e).mul(r);
      x.intoArray(k, o + e);
      mx = mx.blend(x, x.compare(VectorOperators.GT, mx));
    }
    FloatVector.zero(FLOAT).add(mx).intoArray(lanes, 0);
    float m = 0f;
    for (int i = 0; i < L; i++) {
      m = Math.max(m, lanes[i]);
    }
    return m;
  }

  /** Columns {@code [j0, j0 + L)} of one head, whose multipliers are {@code k[o ..]}: broadcast. */
  private static void messagesOneHead(byte[] z, int[] colIdx, int begin, int degree, int width,
      int j0, int zx, float[] k, int o, boolean clamp, int lowest, int highest, int[] acc) {
    IntVector s = IntVector.broadcast(INT, -degree * FloatRequant.MAGIC_BITS);
    if (clamp) {
      for (int e = 0; e < degree; e++) {
        FloatVector x = (FloatVector) ((IntVector) ByteVector.fromArray(BYTES_L, z, colIdx[begin + e] * width + j0)
            .convertShape(VectorOperators.B2I, INT, 0)).sub(zx).convertShape(VectorOperators.I2F, FLOAT, 0);
        IntVector m = (IntVector) x.fma(FloatVector.broadcast(FLOAT, k[o + e]), FloatVector.broadcast(FLOAT, FloatRequant.MAGIC))
            .reinterpretAsInts();
        s = s.add(m.max(lowest).min(highest));
      }
    } else {
      for (int e = 0; e < degree; e++) {
        FloatVector x = (FloatVector) ((IntVector) ByteVector.fromArray(BYTES_L, z, colIdx[begin + e] * width + j0)
            .convertShape(VectorOperators.B2I, INT, 0)).sub(zx).convertShape(VectorOperators.I2F, FLOAT, 0);
        s = s.add((IntVector) x.fma(FloatVector.broadcast(FLOAT, k[o + e]), FloatVector.broadcast(FLOAT, FloatRequant.MAGIC))
            .reinterpretAsInts());
      }
    }
    IntVector.zero(INT).add(s).intoArray(acc, j0);
  }

  /** Columns {@code [j0, j0 + L)} of heads {@code h, h + 1} ({@code L = 2f}): two broadcasts blended. */
  private static void messagesTwoHeads(byte[] z, int[] colIdx, int begin, int degree, int stride,
      int width, int j0, int zx, int f, float[] k, int o, boolean clamp, int lowest, int highest,
      int[] acc) {
    final VectorMask<Float> second = FloatVector.zero(FLOAT).addIndex(1).compare(VectorOperators.GE, f);
    final int o2 = o + stride;
    IntVector s = IntVector.broadcast(INT, -degree * FloatRequant.MAGIC_BITS);
    if (clamp) {
      for (int e = 0; e < degree; e++) {
        FloatVector x = (FloatVector) ((IntVector) ByteVector.fromArray(BYTES_L, z, colIdx[begin + e] * width + j0)
            .convertShape(VectorOperators.B2I, INT, 0)).sub(zx).convertShape(VectorOperators.I2F, FLOAT, 0);
        IntVector m = (IntVector) x.fma(FloatVector.broadcast(FLOAT, k[o + e]).blend(k[o2 + e], second),
            FloatVector.broadcast(FLOAT, FloatRequant.MAGIC)).reinterpretAsInts();
        s = s.add(m.max(lowest).min(highest));
      }
    } else {
      for (int e = 0; e < degree; e++) {
        FloatVector x = (FloatVector) ((IntVector) ByteVector.fromArray(BYTES_L, z, colIdx[begin + e] * width + j0)
            .convertShape(VectorOperators.B2I, INT, 0)).sub(zx).convertShape(VectorOperators.I2F, FLOAT, 0);
        s = s.add((IntVector) x.fma(FloatVector.broadcast(FLOAT, k[o + e]).blend(k[o2 + e], second),
            FloatVector.broadcast(FLOAT, FloatRequant.MAGIC)).reinterpretAsInts());
      }
    }
    IntVector.zero(INT).add(s).intoArray(acc, j0);
  }

  /** Columns {@code [j0, j0 + L)} spanning heads {@code base ..}: the edge-major multipliers rearranged. */
  private static void messagesShuffled(byte[] z, int[] colIdx, int begin, int degree, int width,
      int j0, int zx, int heads, int base, VectorShuffle<Float> sh, float[] byEdge, boolean clamp,
      int lowest, int highest, int[] acc) {
    IntVector s = IntVector.broadcast(INT, -degree * FloatRequant.MAGIC_BITS);
    for (int e = 0; e < degree; e++) {
      FloatVector x = (FloatVector) ((IntVector) ByteVector.fromArray(BYTES_L, z, colIdx[begin + e] * width + j0)
          .convertShape(VectorOperators.B2I, INT, 0)).sub(zx).convertShape(VectorOperators.I2F, FLOAT, 0);
      IntVector m = (IntVector) x.fma(FloatVector.fromArray(FLOAT, byEdge, e * heads + base).rearrange(sh),
          FloatVector.broadcast(FLOAT, FloatRequant.MAGIC)).reinterpretAsInts();
      s = s.add(clamp ? m.max(lowest).min(highest) : m);
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
  @SuppressWarnings("unchecked")
  public void fp32Layer(GatFloatPass p, CsrAdjacency adj, float[] z, float[] sf, float[] df,
      float[] out) {
    final int heads = p.heads();
    final int f = p.outPerHead();
    final int width = p.width();
    final int nOut = p.nOut();
    GatArgs.check(adj, heads, width, nOut, z.length, sf, df, out.length);
    final int[] rowPtr = adj.rowPtr();
    final int[] colIdx = adj.colIdx();
    final int maxDegree = GatArgs.maxDegree(adj);
    // padded to whole blocks: the last block runs in full, its extra lanes at -inf (exp: 0)
    final int maxStride = roundUp(maxDegree);
    final float[] w = new float[maxStride * heads];
    final float[] byEdge = new float[layout(f) == 0 ? maxDegree * heads + L : 0];
    final int[] gidx = new int[maxStride];
    final float[] den = new float[heads + L];
    final float[] agg = new float[width];
    final float[] lanes = new float[L];
    final int layout = layout(f);
    final int chunks = width / L;
    final VectorShuffle<Float>[] shuffles = new VectorShuffle[chunks];
    for (int c = 0; c < chunks; c++) {
      shuffles[c] = VectorShuffle.fromArray(FLOAT, chunkShuffle(c, f), 0);
    }
    for (int v = 0; v < adj.targets(); v++) {
      final int begin = rowPtr[v];
      final int degree = rowPtr[v + 1] - begin;
      final int ds = roundUp(degree);
      sourceOffsets(colIdx, begin, degree, heads, gidx);
      for (int h = 0; h < heads; h++) {
        // LeakyReLU logits, the head's largest, exp(l - max) and their sum
        float m = leakyLogits(gidx, degree, sf, df[v * heads + h], h, w, h * ds, lanes);
        den[h] = exps(w, h * ds, ds, m, lanes);
      }
      if (layout == 0) {
        for (int e = 0; e < degree; e++) {
          for (int h = 0; h < heads; h++) {
            byEdge[e * heads + h] = w[h * ds + e];
          }
        }
      }
      // the weighted sums, divided by each head's sum
      for (int c = 0; c < chunks; c++) {
        final int j0 = c * L;
        if (layout == 1) {
          floatSumsOneHead(z, colIdx, begin, degree, width, j0, w, j0 / f * ds, den[j0 / f], agg);
        } else if (layout == 2) {
          floatSumsTwoHeads(z, colIdx, begin, degree, ds, width, j0, f, w, (j0 / f) * ds, den, j0 / f, agg);
        } else {
          floatSumsShuffled(z, colIdx, begin, degree, width, j0, heads, j0 / f, shuffles[c], byEdge, den, agg);
        }
      }
      for (int j = chunks * L; j < width; j++) {
        int h = j / f;
        float s = 0f;
        for (int e = 0; e < degree; e++) {
          s = Math.fma(w[h * ds + e], z[colIdx[begin + e] * width + j], s);
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
   * One head's LeakyReLU logits into {@code w[o ..]}, {@code L} edges in lanes, the last block in
   * full with its extra lanes at minus infinity; returns the largest logit.
   */
  private static float leakyLogits(int[] gidx, int degree, float[] sf, float d, int h, float[] w,
      int o, float[] lanes) {
    final float slope = GatFloatPass.NEGATIVE_SLOPE;
    final FloatVector lane = FloatVector.zero(FLOAT).addIndex(1);
    FloatVector mx = FloatVector.broadcast(FLOAT, Float.NEGATIVE_INFINITY);
    for (int e = 0; e < degree; e += L) {
      FloatVector t = FloatVector.fromArray(FLOAT, sf, h, gidx, e).add(d);
      FloatVector l = t.mul(slope).blend(t, t.compare(VectorOperators.GT, 0f))
          .blend(Float.NEGATIVE_INFINITY, lane.compare(VectorOperators.GE, (float) (degree - e)));
      l.intoArray(w, o + e);
      mx = mx.blend(l, l.compare(VectorOperators.GT, mx));
    }
    FloatVector.zero(FLOAT).add(mx).intoArray(lanes, 0);
    float m = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < L; i++) {
      m = lanes[i] > m ? lanes[i] : m;
    }
    return m;
  }

  /**
   * {@code w = exp(w - m)} over one head's {@code n} padded logits (the Vector API's exponential;
   * padding at minus infinity gives 0); returns their sum.
   */
  private static float exps(float[] w, int o, int n, float m, float[] lanes) {
    FloatVector s = FloatVector.zero(FLOAT);
    for (int e = 0; e < n; e += L) {
      FloatVector x = FloatVector.fromArray(FLOAT, w, o + e).sub(m).lanewise(VectorOperators.EXP);
      x.intoArray(w, o + e);
      s = s.add(x);
    }
    FloatVector.zero(FLOAT).add(s).intoArray(lanes, 0);
    float total = 0f;
    for (int i = 0; i < L; i++) {
      total += lanes[i];
    }
    return total;
  }

  private static void floatSumsOneHead(float[] z, int[] colIdx, int begin, int degree, int width,
      int j0, float[] w, int o, float den, float[] agg) {
    FloatVector s = FloatVector.zero(FLOAT);
    for (int e = 0; e < degree; e++) {
      s = FloatVector.fromArray(FLOAT, z, colIdx[begin + e] * width + j0)
          .fma(FloatVector.broadcast(FLOAT, w[o + e]), s);
    }
    s.div(den).intoArray(agg, j0);
  }

  private static void floatSumsTwoHeads(float[] z, int[] colIdx, int begin, int degree, int stride,
      int width, int j0, int f, float[] w, int o, float[] den, int h, float[] agg) {
    final VectorMask<Float> second = FloatVector.zero(FLOAT).addIndex(1).compare(VectorOperators.GE, f);
    final int o2 = o + stride;
    FloatVector s = FloatVector.zero(FLOAT);
    for (int e = 0; e < degree; e++) {
      s = FloatVector.fromArray(FLOAT, z, colIdx[begin + e] * width + j0)
          .fma(FloatVector.broadcast(FLOAT, w[o + e]).blend(w[o2 + e], second), s);
    }
    s.div(FloatVector.broadcast(FLOAT, den[h]).blend(den[h + 1], second)).intoArray(agg, j0);
  }

  private static void floatSumsShuffled(float[] z, int[] colIdx, int begin, int degree, int width,
      int j0, int heads, int base, VectorShuffle<Float> sh, float[] byEdge, float[] den, float[] agg) {
    FloatVector s = FloatVector.zero(FLOAT);
    for (int e = 0; e < degree; e++) {
      s = FloatVector.fromArray(FLOAT, z, colIdx[begin + e] * width + j0)
          .fma(FloatVector.fromArray(FLOAT, byEdge, e * heads + base).rearrange(sh), s);
    }
    s.div(FloatVector.fromArray(FLOAT, den, base).rearrange(sh)).intoArray(agg, j0);
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
