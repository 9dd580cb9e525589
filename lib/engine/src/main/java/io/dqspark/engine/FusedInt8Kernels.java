package io.dqspark.engine;

/**
 * The default ("fast") arithmetic's layer kernels (design §5.6): each makes one pass over the
 * node data it reads and writes int8 codes, with the int32 sums of a target held in a scratch row
 * that stays in L1, instead of the exact mode's per-layer int32 tensors of nodes x width. They
 * requantize with {@link FloatRequant}. Two implementations agree bit for bit: {@link
 * #scalar()} (the reference) and a Vector API one; {@link #selected()} is the one this JVM runs.
 * Sums over edges are exact int32 sums (wrapping as Java's, like the exact kernels).
 */
public interface FusedInt8Kernels {
  /** "vector" or "scalar". */
  String name();

  /**
   * GCN's aggregation, bias and output in one pass over the in-edges, with the per-edge
   * normalisation codes but without rounding each message (design §5.6):
   * {@code s = sum_e (c_e - zc)(x[u_e, j] - zx)} exact in int32, {@code a = agg.apply(s)},
   * {@code out[v, j] = output.apply(((a - za) << shift) + bias[j])}.
   */
  void gcnAggregate(CsrAdjacency adj, byte[] edgeCodes, int zc, byte[] x, int width,
      int zx, FloatRequant agg, int za, int shift, int[] bias, FloatRequant output, byte[] out);

  /**
   * Edges whose int8 codes one 16-bit lane sums exactly ({@code 256 * 128 = 2^15}: a 16-bit sum
   * that wraps on the way still ends exact): the vector GIN aggregation sums in 16-bit lanes over
   * chunks of this many edges and widens each chunk to 32 bits.
   */
  int SHORT_CHUNK = 256;

  /**
   * Float features to int8 codes exactly as the training quantizer computes them: {@code out[i] =
   * clamp(rint(x[i] * invScale + zeroPoint), qmin, qmax) - offset}, NaN to the zero point.
   */
  void quantize(float[] x, float invScale, float zeroPoint, float qmin, float qmax, int offset,
      byte[] out);

  /**
   * GIN's sum aggregation and self term in one pass: {@code a = agg.apply(sum_e (m[u_e, j] -
   * zm))}, then {@code out[v, j] = next.applyFloat(((a - za) << shift) * next.multiplier() +
   * self)} where {@code self} is {@code selfFactor * features[v, j]} (layer 0: float features,
   * {@code selfFactor} already times {@code next.multiplier()}) or {@code selfLut[codes[v, j] +
   * 128]} (later layers: a table of the self term of every code, already times the multiplier).
   * With both sources null there is no self term.
   */
  void ginAggregate(CsrAdjacency adj, byte[] m, int width, int zm, FloatRequant agg, int za,
      int shift, float[] features, float selfFactor, byte[] codes, float[] selfLut,
      FloatRequant next, byte[] out);

  /**
   * {@code out[r, j] = lut[rq.apply(dense(x)[r, j]) + 128]} (or without {@code lut} when null): a
   * dense product requantized, then mapped through a code table (the next site's requantization
   * of a code, exact as a table).
   */
  void denseRequantize(byte[] x, int rows, Int8DenseWeights w, FloatRequant rq, byte[] lut,
      byte[] out);

  /** The reference implementation. */
  static FusedInt8Kernels scalar() {
    return ScalarFusedInt8Kernels.INSTANCE;
  }

  /**
   * The Vector API kernels where {@link Kernels#vectorized()} (which {@code
   * -Ddq.engine.scalar=true} turns off), else the scalar ones.
   */
  static FusedInt8Kernels selected() {
    return FusedSelection.SELECTED;
  }
}
