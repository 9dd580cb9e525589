package io.dqspark.model;

/**
 * The contract every integer engine ({@link IntegerGcn}, {@link IntegerGin}, {@link IntegerGat})
 * meets, so that a scorer holds one engine of whatever architecture its model has ({@link
 * QuantizedModel#scorer}): whole graphs from edge lists, or layer by layer over parts of a graph
 * ({@link LayerwiseScorer}, node-level models). Built once per model; thread-safe.
 */
public interface IntegerScorer extends LayerwiseScorer<byte[]> {
  QuantizedModel model();

  Arithmetic arithmetic();

  /** Which kernels and arithmetic this engine runs, for logs and reports. */
  String describe();

  /**
   * One whole graph: {@code features} row-major {@code [nodes, inputWidth]}, edges {@code src[i]
   * -> dst[i]}. Rows of the result are the nodes (node task) or the one graph (graph task).
   */
  ClassScores score(float[] features, int nodes, int[] src, int[] dst);
}
