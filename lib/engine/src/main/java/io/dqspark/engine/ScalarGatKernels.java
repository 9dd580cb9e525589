package io.dqspark.engine;

/**
 * The reference {@link GatKernels}: the definitions written out, element by element. The vector
 * integer pass must equal this one bit for bit (GatKernelTest checks it on the CPU at hand).
 */
final class ScalarGatKernels implements GatKernels {
  static final ScalarGatKernels INSTANCE = new ScalarGatKernels();

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public void int8Layer(GatInt8Pass p, CsrAdjacency adj, byte[] z, float[] sf, float[] df,
      byte[] out) {
    final int heads = p.heads();
    final int f = p.outPerHead();
    final int width = p.width();
    final int nOut = p.nOut();
    GatArgs.check(adj, heads, width, nOut, z.length, sf, df, out.length);
    final int[] rowPtr = adj.rowPtr();
    final int[] colIdx = adj.colIdx();
    final float lo = p.logitMin();
    final float hi = p.logitMax();
    final float[] table = p.weights();
    final int zx = p.xwZeroPoint();
    final int za = (int) p.aggregate().zeroPoint();
    final int maxDegree = GatArgs.maxDegree(adj);
    final float[] w = new float[maxDegree * heads];
    final float[] k = new float[maxDegree * heads];
    final float[] den = new float[heads];
    final float[] partial = new float[GatKernels.PARTIAL_SUMS];
    final int[] agg = new int[width];
    final int lowest = FloatRequant.MAGIC_BITS + p.messageMin();
    final int highest = FloatRequant.MAGIC_BITS + p.messageMax();
    for (int v = 0; v < adj.targets(); v++) {
      final int begin = rowPtr[v];
      final int degree = rowPtr[v + 1] - begin;
      // logit codes and numerators, edge by edge, head by head (flat position q = e H + h)
      for (int e = 0; e < degree; e++) {
        for (int h = 0; h < heads; h++) {
          int c = FloatRequant.roundClamped(sf[colIdx[begin + e] * heads + h] + df[v * heads + h], lo, hi);
          w[e * heads + h] = table[c - p.logitMin()];
        }
      }
      GatKernels.numeratorSums(w, degree, heads, partial, den);
      for (int h = 0; h < heads; h++) {
        float r = p.message() / den[h]; // den >= 2^-64: r finite; unused without edges
        for (int e = 0; e < degree; e++) {
          k[e * heads + h] = w[e * heads + h] * r;
        }
      }
      for (int j = 0; j < width; j++) {
        int h = j / f;
        // each message rounded on its own; the sum is exact mod 2^32 and the bias of M cancels
        int s = -degree * FloatRequant.MAGIC_BITS;
        for (int e = 0; e < degree; e++) {
          int x = z[colIdx[begin + e] * width + j] - zx;
          int bits = Float.floatToRawIntBits(Math.fma((float) x, k[e * heads + h], FloatRequant.MAGIC));
          s += Math.max(lowest, Math.min(highest, bits));
        }
        agg[j] = degree == 0 ? 0 : p.aggregate().apply(s) - za;
      }
      merge(p, agg, nOut, out, v * nOut);
    }
  }

  /** The merged heads, bias and output requantization of one target's aggregate row. */
  static void merge(GatInt8Pass p, int[] agg, int nOut, byte[] out, int o) {
    final int merged = p.merged();
    final int[] bias = p.bias();
    for (int j = 0; j < nOut; j++) {
      int s = 0;
      for (int h = 0; h < merged; h++) {
        s += agg[h * nOut + j];
      }
      out[o + j] = (byte) p.output().apply((s << p.shift()) + bias[j]);
    }
  }

  @Override
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
    final float[] w = new float[maxDegree * heads];
    final float[] max = new float[heads];
    final float[] den = new float[heads];
    final float[] agg = new float[width];
    for (int v = 0; v < adj.targets(); v++) {
      final int begin = rowPtr[v];
      final int degree = rowPtr[v + 1] - begin;
      java.util.Arrays.fill(max, Float.NEGATIVE_INFINITY);
      java.util.Arrays.fill(den, 0f);
      for (int e = 0; e < degree; e++) {
        int u = colIdx[begin + e];
        for (int h = 0; h < heads; h++) {
          float t = sf[u * heads + h] + df[v * heads + h];
          float l = t > 0 ? t : GatFloatPass.NEGATIVE_SLOPE * t;
          w[e * heads + h] = l;
          max[h] = l > max[h] ? l : max[h];
        }
      }
      // subtracting each head's largest logit keeps exp at most 1
      for (int e = 0; e < degree; e++) {
        for (int h = 0; h < heads; h++) {
          float x = (float) Math.exp(w[e * heads + h] - max[h]);
          w[e * heads + h] = x;
          den[h] += x;
        }
      }
      for (int j = 0; j < width; j++) {
        int h = j / f;
        float s = 0f;
        for (int e = 0; e < degree; e++) {
          s = Math.fma(w[e * heads + h], z[colIdx[begin + e] * width + j], s);
        }
        agg[j] = degree == 0 ? 0f : s / den[h];
      }
      mergeFloat(p, agg, nOut, out, v * nOut);
    }
  }

  /** Heads merged (averaged: summed, then times 1 / heads), bias, activation. */
  static void mergeFloat(GatFloatPass p, float[] agg, int nOut, float[] out, int o) {
    final int merged = p.merged();
    final float scale = 1f / merged;
    final float[] bias = p.bias();
    for (int j = 0; j < nOut; j++) {
      float s = 0f;
      for (int h = 0; h < merged; h++) {
        s += agg[h * nOut + j];
      }
      float y = s * scale + bias[j];
      if (p.activation() == GatFloatPass.RELU) {
        y = y > 0 ? y : 0f;
      } else if (p.activation() == GatFloatPass.ELU && !(y > 0)) {
        y = (float) Math.expm1(y);
      }
      out[o + j] = y;
    }
  }
}
