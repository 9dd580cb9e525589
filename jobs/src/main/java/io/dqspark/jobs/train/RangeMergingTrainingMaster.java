package io.dqspark.jobs.train;

import io.dqspark.gnn.QuantStateMerge;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaRDDLike;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.api.TrainingHook;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingResult;

/**
 * DL4J's {@link ParameterAveragingTrainingMaster} with one change at the end of each averaging
 * round: the quantizer state {@code q}, which the parent averages like a weight, is replaced by its
 * proper merge over the workers ({@link QuantStateMerge}: Degree-Quant's running percentile
 * ranges by min/max, the QAT baseline's moving averages by their mean). Everything else - the
 * broadcast, the workers, averaging of weights and Adam state - is DL4J's.
 *
 * <p>How: the workers' results are persisted, their {@code q} slices (a few hundred numbers) are
 * collected, the parent averages as usual from the persisted results, and the merged state is
 * written over the averaged one in the driver's network before the next round's broadcast.
 *
 * <p>Set up as design §7 found necessary for packed graphs: one example (a whole graph or a packed
 * mini-batch) per worker step, no repartitioning (Spark partition {@code w} is worker {@code w}'s
 * shard), the Direct approach (no export of examples to disk), no prefetch.
 */
public final class RangeMergingTrainingMaster extends ParameterAveragingTrainingMaster {
  private static final long serialVersionUID = 1L;

  private transient QuantStateMerge merge;
  private transient long[][] ranges;

  private RangeMergingTrainingMaster(Builder b) {
    super(b);
  }

  /**
   * @param workers Spark partitions trained at once (one per worker)
   * @param averagingFrequency worker steps between two averaging rounds
   * @param hook runs on the workers around every step (seeds per-step randomness)
   */
  public static RangeMergingTrainingMaster create(int workers, int averagingFrequency, TrainingHook hook) {
    Builder b = new Builder(workers, 1)
        .batchSizePerWorker(1)
        .averagingFrequency(averagingFrequency)
        .workerPrefetchNumBatches(0)
        .repartionData(Repartition.Never)
        .rddTrainingApproach(RDDTrainingApproach.Direct)
        .storageLevel(null)
        .saveUpdater(true)
        .trainingHooks(hook);
    return new RangeMergingTrainingMaster(b);
  }

  /**
   * The trainer plans every fit as one round (each worker's partition holds at most one round's
   * steps), so the parent's split logic needs no count; counting would build every example twice.
   */
  @Override
  protected <T, R extends JavaRDDLike<T, R>> long getTotalDataSetObjectCount(JavaRDDLike<T, R> data) {
    return (long) getNumWorkers() * getAveragingFrequency();
  }

  @Override
  protected void processResults(SparkDl4jMultiLayer network, SparkComputationGraph graph,
      JavaRDD<ParameterAveragingTrainingResult> results, int splitNum, int totalSplits) {
    if (graph == null) {
      super.processResults(network, null, results, splitNum, totalSplits);
      return;
    }
    if (merge == null) {
      merge = QuantStateMerge.of(graph.getNetwork());
      ranges = merge.ranges();
    }
    if (merge.isEmpty()) {
      super.processResults(null, graph, results, splitNum, totalSplits);
      return;
    }
    results.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long[][] slots = ranges;
      List<double[]> states = results
          .filter(r -> r.getParameters() != null)
          .map(r -> QuantStateMerge.extract(r.getParameters(), slots))
          .collect();
      super.processResults(null, graph, results, splitNum, totalSplits);
      if (!states.isEmpty()) {
        merge.mergeInto(graph.getNetwork().params(), states);
      }
    } finally {
      results.unpersist(false);
    }
  }
}
