package io.dqspark.jobs.train;

import io.dqspark.gnn.GraphInputs;
import io.dqspark.gnn.Nd4jSeeds;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Seeds the worker's ND4J random generator (dropout) from the step key in the example's header
 * before each step, so a run's randomness depends on (seed, epoch, part, step) and not on which
 * executor thread or JVM happens to train a part. A key of 0 (one in 2^24 steps) goes through
 * {@link Nd4jSeeds} like every seed, because ND4J would take 0 as "seed from the clock".
 */
final class StepSeedHook implements TrainingHook {
  private static final long serialVersionUID = 1L;

  @Override
  public void preUpdate(MultiDataSet example, Model model) {
    Nd4jSeeds.seed((long) example.getFeatures(GraphInputs.HEADER).getDouble(2));
  }

  @Override
  public void postUpdate(MultiDataSet example, Model model) {}

  @Override
  public void preUpdate(DataSet example, Model model) {}

  @Override
  public void postUpdate(DataSet example, Model model) {}
}
