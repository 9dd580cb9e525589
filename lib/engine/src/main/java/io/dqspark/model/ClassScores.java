package io.dqspark.model;

/**
 * What every engine's result gives a scorer, whatever its logits look like (int8 codes for a GCN,
 * int32 sums for a GIN, floats for the FP32 engines): the class of each row and that row's class
 * probabilities.
 */
public interface ClassScores {
  /** The class of each row: the largest logit, the first on ties (as ND4J's argmax). */
  int[] predictions();

  /** Softmax of row {@code r}'s logits: the one floating-point step of scoring. */
  double[] probabilities(int r);
}
