package io.dqspark.jobs.score;

/**
 * The integer engine of a graph-level model: one whole graph in, its class out. The extension
 * point of {@code dq_predict_graph}: {@link GraphClassifiers} picks one per model architecture.
 */
public interface GraphClassifier {
  /** A graph's predicted class and class probabilities. */
  record Prediction(int prediction, double[] probabilities) {}

  /**
   * @param features row-major {@code [nodes, featureDim]}, already checked finite and of the right width
   * @param src, dst edges over node indices {@code 0..nodes-1}, already checked in range
   */
  Prediction classify(float[] features, int nodes, int[] src, int[] dst);
}
