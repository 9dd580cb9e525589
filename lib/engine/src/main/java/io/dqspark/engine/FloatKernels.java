package io.dqspark.engine;

/**
 * FP32 twins of {@link Int8Kernels}' dense product and aggregation: the honest speed baseline
 * for the integer engine. Both implementations do the same operations in the same order per
 * output element (a fused multiply-add per term, ascending term order), so they agree bit for bit.
 */
public interface FloatKernels {
  /** "vector" or "scalar". */
  String name();

  /**
   * {@code out[r*n + j] = fma-sum_i x[r*k + i] * w[i, j] + bias[j]}: the sum starts at 0, adds
   * one term per {@code i} with {@link Math#fma}, then adds the bias.
   */
  void dense(float[] x, int rows, FloatDenseWeights w, float[] out);

  /**
   * {@code out[v*width + j] = sum_e a_e * x[u_e*width + j]} over {@code v}'s in-edges in CSR
   * order, starting at 0: a plain add per edge without weights, an {@link Math#fma} with them.
   *
   * @param edgeWeights per-edge weights parallel to {@code adj.colIdx()}, or null for 1
   */
  void aggregate(CsrAdjacency adj, float[] edgeWeights, float[] x, int width, float[] out);

  /**
   * {@link #aggregate} with the layer's element-wise tail fused in, so that FP32 makes as few
   * passes over the nodes as the integer engine (design §5.6): per target row, {@code o =
   * Math.fma(selfFactor, x[v, j], sum)} when {@code selfFactor != 0} (GIN's {@code (1 + eps) x}),
   * then {@code o + bias[j]} when {@code bias} is given, then {@code o < 0 ? 0 : o} with {@code relu}.
   */
  void aggregate(CsrAdjacency adj, float[] edgeWeights, float[] x, int width, float selfFactor,
      float[] bias, boolean relu, float[] out);

  /** {@link #dense}, then {@code o < 0 ? 0 : o} per element with {@code relu}, row by row. */
  void dense(float[] x, int rows, FloatDenseWeights w, boolean relu, float[] out);
}
