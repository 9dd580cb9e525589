package io.dqspark.jobs.train;

import io.dqspark.util.DqInputException;

import io.dqspark.graph.GraphLevel;
import io.dqspark.train.BestEpoch;
import io.dqspark.train.Scores;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * The data-parallel epoch loop. Each averaging round is one {@code fit} of DL4J's
 * {@link SparkComputationGraph} on an RDD whose Spark partition {@code w} holds worker {@code w}'s
 * next steps, built on the executors from the cached shards ({@link StepPlan}); the
 * {@link RangeMergingTrainingMaster} averages the workers' parameters and merges their quantizer
 * ranges. One big graph: a round is {@code averagingFrequency} epochs of one full-batch step per
 * part. Graph-level data: an epoch is {@code ceil(steps / averagingFrequency)} rounds.
 *
 * <p>After each round (node-level) or epoch (graph-level) the driver evaluates, keeps the
 * parameters of the lowest validation loss (as the single-JVM engine) and writes a checkpoint.
 */
final class DistributedTrainer {
  private final JavaSparkContext sc;
  private final JavaRDD<PartShard> shards;
  private final int parts;
  private final GraphLevel level;
  private final StepPlan plan;
  private final int workers;
  private final int averagingFrequency;
  private final int epochs;
  private final DriverData driver;

  DistributedTrainer(JavaSparkContext sc, ShardLoader.Shards shards, StepPlan plan, int workers,
      int averagingFrequency, int epochs, DriverData driver) {
    this.sc = sc;
    this.shards = shards.rdd();
    this.parts = shards.parts();
    this.level = shards.level();
    this.plan = plan;
    this.workers = workers;
    this.averagingFrequency = averagingFrequency;
    this.epochs = epochs;
    this.driver = driver;
  }

  /**
   * Trains {@code net} from {@code progress.nextEpoch} to the last epoch, calling {@code
   * checkpoint} after every evaluation; {@code net} ends holding the best epoch's parameters.
   */
  BestEpoch train(ComputationGraph net, Progress progress, BestEpoch best, Consumer<BestEpoch> checkpoint,
      Consumer<String> log) {
    int perWorkerRound = level == GraphLevel.NODE
        ? averagingFrequency * ((parts + workers - 1) / workers)
        : averagingFrequency;
    RangeMergingTrainingMaster master = RangeMergingTrainingMaster.create(workers, perWorkerRound, new StepSeedHook());
    SparkComputationGraph sparkNet = new SparkComputationGraph(sc, net, master);
    int epoch = progress.nextEpoch;
    final int firstEpoch = epoch;
    final long start = System.nanoTime();
    while (epoch < epochs) {
      long t0 = System.nanoTime();
      int last;
      if (level == GraphLevel.NODE) {
        int to = Math.min(epochs, epoch + averagingFrequency);
        try {
          sparkNet.fitMultiDataSet(nodeRound(epoch, to));
        } catch (Exception e) { // Spark's SparkException is checked but thrown undeclared
          DqInputException named = PartTooLarge.explain(e, plan, epoch, to, parts);
          if (named != null) {
            throw named;
          }
          throw e;
        }
        for (int e = epoch; e < to; e++) {
          net.incrementEpochCount();
        }
        last = to - 1;
      } else {
        int rounds = (maxSteps(epoch) + averagingFrequency - 1) / averagingFrequency;
        for (int r = 0; r < rounds; r++) {
          sparkNet.fitMultiDataSet(graphRound(epoch, r));
        }
        net.incrementEpochCount();
        last = epoch;
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      long t1 = System.nanoTime();
      DriverData.Evaluation ev = driver.evaluate(net);
      long t2 = System.nanoTime();
      best.offer(last, ev.validation(), ev.test(), net.params());
      progress.epochs.add(new Progress.EpochRecord(last, sparkNet.getScore(), ev.validation().loss(),
          ev.validation().accuracy(), ev.test().accuracy(), seconds));
      progress.trainSeconds += seconds;
      progress.nextEpoch = last + 1;
      record(progress, best);
      log.accept(String.format("epoch %d: train loss %.4f, validation loss %.4f, accuracy %.4f (%.2f s; %s)",
          last, sparkNet.getScore(), ev.validation().loss(), ev.validation().accuracy(), seconds,
          timeLeft(last + 1 - firstEpoch, epochs - last - 1, (System.nanoTime() - start) / 1e9)));
      checkpoint.accept(best);
      org.slf4j.LoggerFactory.getLogger(DistributedTrainer.class).debug("evaluation {} s, checkpoint {} s",
          (t2 - t1) / 1e9, (System.nanoTime() - t2) / 1e9);
      epoch = last + 1;
    }
    if (best.params() != null) {
      net.setParams(best.params());
    }
    return best;
  }

  /**
   * The progress line's estimate: the rounds so far (training and evaluation) extrapolated to the
   * epochs left, so a user of a long run knows when to come back.
   */
  static String timeLeft(int epochsDone, int epochsLeft, double secondsSoFar) {
    if (epochsLeft <= 0) {
      return "last epoch";
    }
    double left = secondsSoFar / epochsDone * epochsLeft;
    return String.format("%d epochs left, about %s", epochsLeft,
        left < 90 ? String.format("%.0f s", left) : String.format("%.0f min", left / 60));
  }

  private static void record(Progress p, BestEpoch best) {
    p.bestEpoch = best.epoch();
    Scores v = best.validation();
    Scores t = best.test();
    p.bestValidationLoss = v.loss();
    p.bestValidationAccuracy = v.accuracy();
    p.bestTestLoss = t.loss();
    p.bestTestAccuracy = t.accuracy();
  }

  /** Epochs {@code [from, to)}: every worker takes one step per epoch on each of its parts. */
  private JavaRDD<MultiDataSet> nodeRound(int from, int to) {
    StepPlan p = plan;
    return shards.mapPartitions(it -> {
      List<PartShard> mine = collect(it);
      List<MultiDataSet> out = new ArrayList<>();
      for (int e = from; e < to; e++) {
        for (StepPlan.Step s : p.steps(mine, e)) {
          out.add(p.example(s));
        }
      }
      return out.iterator();
    }, true);
  }

  /** Round {@code r} of a graph-level epoch: each worker's steps {@code [r k, (r + 1) k)}. */
  private JavaRDD<MultiDataSet> graphRound(int epoch, int round) {
    StepPlan p = plan;
    int k = averagingFrequency;
    return shards.mapPartitions(it -> {
      List<StepPlan.Step> steps = p.steps(collect(it), epoch);
      List<MultiDataSet> out = new ArrayList<>();
      for (int i = round * k; i < Math.min(steps.size(), (round + 1) * k); i++) {
        out.add(p.example(steps.get(i)));
      }
      return out.iterator();
    }, true);
  }

  /** The most steps any worker takes in {@code epoch} (workers' shards may differ in size). */
  private int maxSteps(int epoch) {
    StepPlan p = plan;
    return shards.mapPartitions(it -> List.of(p.steps(collect(it), epoch).size()).iterator())
        .collect().stream().mapToInt(Integer::intValue).max().orElse(0);
  }

  private static List<PartShard> collect(Iterator<PartShard> it) {
    List<PartShard> out = new ArrayList<>();
    it.forEachRemaining(out::add);
    out.sort((a, b) -> Integer.compare(a.part(), b.part()));
    return out;
  }
}
