package io.dqspark.train;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Tracks the epoch of lowest validation loss and keeps a copy of the parameters from it (the
 * checkpoint a model is exported from) with that epoch's validation and test scores.
 */
public final class BestEpoch {
  private double loss = Double.POSITIVE_INFINITY;
  private int epoch = -1;
  private Scores validation;
  private Scores test;
  private INDArray params;

  /** Records epoch {@code e} if its validation loss is the lowest so far. */
  public void offer(int e, Scores validation, Scores test, INDArray currentParams) {
    if (validation.loss() < loss) {
      loss = validation.loss();
      epoch = e;
      this.validation = validation;
      this.test = test;
      params = currentParams.dup();
    }
  }

  /** Whether {@code patience} epochs have passed without improvement before epoch {@code e} (0: never). */
  public boolean exhausted(int e, int patience) {
    return patience > 0 && epoch >= 0 && e - epoch > patience;
  }

  public int epoch() { return epoch; }
  public Scores validation() { return validation; }
  public Scores test() { return test; }
  public INDArray params() { return params; }

  /** Restores the record of a resumed run (a checkpoint's best epoch, its scores and parameters). */
  public static BestEpoch restore(int epoch, Scores validation, Scores test, INDArray params) {
    BestEpoch b = new BestEpoch();
    if (epoch >= 0) {
      b.loss = validation.loss();
      b.epoch = epoch;
      b.validation = validation;
      b.test = test;
      b.params = params;
    }
    return b;
  }
}
