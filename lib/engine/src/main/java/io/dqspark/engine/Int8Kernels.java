package io.dqspark.engine;

/**
 * The integer kernels. Two implementations give bit-identical results: {@link
 * Kernels#scalarInt8()} (the reference) and the Vector API one; {@link Kernels#int8()} is the
 * one this JVM uses. int32 sums wrap as Java's do (see the package comment).
 */
public interface Int8Kernels {
  /** "vector" or "scalar". */
  String name();

  /**
   * {@code out[r*n + j] = sum_i (x[r*k + i] - zx) (w[i, j] - zw) + bias[j]} for {@code r < rows},
   * with {@code zx}, {@code w}, {@code zw} and {@code bias} from {@code w}.
   */
  void dense(byte[] x, int rows, Int8DenseWeights w, int[] out);

  /**
   * {@link #dense} followed by {@link #requantize} row by row through a scratch row, so the int32
   * tensor is never written out: {@code out[r*n + j] = rq.apply(dense(...)[r*n + j])}.
   */
  void denseRequantize(byte[] x, int rows, Int8DenseWeights w, Requantizer rq, byte[] out);

  /** {@code out[outOffset + i] = rq.apply(acc[accOffset + i])} for {@code i < length}. */
  void requantize(int[] acc, int accOffset, byte[] out, int outOffset, int length, Requantizer rq);

  /**
   * Sum aggregation over in-edges: for every target {@code v} and column {@code j < width},
   * {@code out[v*width + j] = sum_e (c[e] - zc) (x[u_e*width + j] - zx)} over {@code v}'s edges
   * {@code e} with sources {@code u_e}; a target without in-edges gets 0.
   *
   * @param edgeCodes per-edge int8 weight codes parallel to {@code adj.colIdx()} (e.g. GCN's
   *     normalisation coefficients quantized with their own scale), or null for weight 1
   * @param edgeZeroPoint {@code zc}; ignored without edge codes
   * @param x {@code [adj.sources(), width]} source rows with zero point {@code xZeroPoint}
   * @param out {@code [adj.targets(), width]}
   */
  void aggregate(CsrAdjacency adj, byte[] edgeCodes, int edgeZeroPoint, byte[] x, int width,
      int xZeroPoint, int[] out);

  /** {@link #aggregate} then {@link #requantize}, target by target through a scratch row. */
  void aggregateRequantize(CsrAdjacency adj, byte[] edgeCodes, int edgeZeroPoint, byte[] x,
      int width, int xZeroPoint, Requantizer rq, byte[] out);

  /**
   * GCN's per-edge messages summed at their targets without storing them: {@code out[v*width + j]
   * = sum_e (message.apply((c[e] - zc)(x[u_e*width + j] - zx)) - message.zeroPoint())}. Equal to
   * {@link #aggregateRequantize} over one-edge targets (every message requantized on its own, as
   * training quantizes them) followed by {@link #aggregate} of those messages, in one pass: the
   * {@code edges * width} message tensor is never written.
   */
  void messageSum(CsrAdjacency adj, byte[] edgeCodes, int edgeZeroPoint, byte[] x, int width,
      int xZeroPoint, Requantizer message, int[] out);
}
