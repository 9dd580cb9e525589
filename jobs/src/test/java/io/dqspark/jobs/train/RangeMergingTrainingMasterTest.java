package io.dqspark.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dqspark.gnn.QuantStateMerge;
import io.dqspark.graph.GraphLevel;
import io.dqspark.jobs.SparkTestSession;
import io.dqspark.quant.RangeTracker;
import io.dqspark.train.Architecture;
import io.dqspark.train.NodeClassifiers;
import io.dqspark.train.TrainingOptions;
import io.dqspark.train.Variant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The quantizer-state merge of data-parallel training, on Cora's two real parts: one averaging
 * round of two workers against the same steps trained in this JVM without Spark. Dropout is off
 * so that a worker's steps are exactly the local ones.
 */
class RangeMergingTrainingMasterTest {
  private static final int STEPS = 3;
  private static List<PartShard> shards;
  private static JavaSparkContext sc;

  @BeforeAll
  static void load() {
    sc = JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext());
    ShardLoader.Shards s = ShardLoader.load(SparkTestSession.get(), TrainFixtures.coraParts(), 2, 7, 0.1);
    shards = new ArrayList<>(s.rdd().collect());
    s.rdd().unpersist(false);
    shards.sort(Comparator.comparingInt(PartShard::part));
    assertEquals(2, shards.size());
  }

  @Test
  void degreeQuantRangesOfIdenticalShardsEqualOneWorkersRanges() {
    ComputationGraph start = network(Variant.of("int8", "dq"));
    List<MultiDataSet> steps = steps(shards.get(0));
    ComputationGraph local = local(start, steps);
    ComputationGraph merged = distributed(start, steps, steps);

    double[] expected = states(local);
    double[] actual = states(merged);
    assertClose(expected, actual, 1e-5, "merged state vs one worker's");
    assertClose(local.params().toDoubleVector(), merged.params().toDoubleVector(), 1e-4, "parameters");
  }

  @Test
  void degreeQuantRangesMergeByMinAndMaxAcrossWorkers() {
    ComputationGraph start = network(Variant.of("int8", "dq"));
    List<MultiDataSet> a = steps(shards.get(0));
    List<MultiDataSet> b = steps(shards.get(1));
    double[] qa = states(local(start, a));
    double[] qb = states(local(start, b));
    ComputationGraph merged = distributed(start, a, b);
    double[] q = states(merged);

    int widened = 0;
    for (int[] slot : slots(start)) {
      int base = slot[0];
      assertEquals(Math.max(qa[base], qb[base]), q[base], 0, "step counter");
      for (int at = base + 1; at < base + slot[1]; at += RangeTracker.STATE_LENGTH) {
        assertEquals(Math.max(qa[at], qb[at]), q[at], 0, "batches");
        assertClose(new double[] {Math.min(qa[at + 1], qb[at + 1]), Math.max(qa[at + 2], qb[at + 2])},
            new double[] {q[at + 1], q[at + 2]}, 1e-5, "range at state index " + at);
        double meanMin = (qa[at + 1] + qb[at + 1]) / 2;
        widened += q[at + 1] < meanMin - 1e-6 ? 1 : 0;
      }
    }
    // plain averaging would have left every low end at the mean; the parts differ enough to tell
    assertTrue(widened > 0, "no range differs from the workers' mean");
    // the weights are still DL4J's average
    ComputationGraph la = local(start, a);
    ComputationGraph lb = local(start, b);
    double[] wa = la.params().toDoubleVector();
    double[] wb = lb.params().toDoubleVector();
    double[] w = merged.params().toDoubleVector();
    boolean[] isState = stateMask(start);
    for (int i = 0; i < w.length; i++) {
      if (!isState[i]) {
        assertEquals((wa[i] + wb[i]) / 2, w[i], 1e-4, "averaged parameter " + i);
      }
    }
  }

  @Test
  void qatMovingAveragesMergeByTheirMean() {
    ComputationGraph start = network(Variant.of("int8", "qat"));
    List<MultiDataSet> a = steps(shards.get(0));
    List<MultiDataSet> b = steps(shards.get(1));
    double[] qa = states(local(start, a));
    double[] qb = states(local(start, b));
    double[] q = states(distributed(start, a, b));
    for (int[] slot : slots(start)) {
      for (int at = slot[0] + 1; at < slot[0] + slot[1]; at += RangeTracker.STATE_LENGTH) {
        assertClose(new double[] {(qa[at + 1] + qb[at + 1]) / 2, (qa[at + 2] + qb[at + 2]) / 2},
            new double[] {q[at + 1], q[at + 2]}, 1e-5, "range at state index " + at);
      }
    }
  }

  private static ComputationGraph network(Variant v) {
    TrainingOptions o = TrainingOptions.defaults(Architecture.GCN, false);
    o.variant = v;
    o.dropout = 0;
    o.seed = 3;
    Nd4j.getRandom().setSeed(o.seed);
    ComputationGraph net = new ComputationGraph(NodeClassifiers.build(o, 1433, 7, 70, false));
    net.init();
    return net;
  }

  private static List<MultiDataSet> steps(PartShard shard) {
    StepPlan plan = new StepPlan(GraphLevel.NODE, 3, 1, true, null, null, true);
    List<MultiDataSet> out = new ArrayList<>();
    for (int e = 0; e < STEPS; e++) {
      out.add(plan.example(new StepPlan.Step(shard, e, 0)));
    }
    return out;
  }

  private static ComputationGraph local(ComputationGraph start, List<MultiDataSet> steps) {
    ComputationGraph net = start.clone();
    for (MultiDataSet ex : steps) {
      net.fit(ex);
    }
    return net;
  }

  /** One round: worker 0 trains {@code first}, worker 1 {@code second}, then averaging and merge. */
  private static ComputationGraph distributed(ComputationGraph start, List<MultiDataSet> first,
      List<MultiDataSet> second) {
    ComputationGraph net = start.clone();
    List<MultiDataSet> all = new ArrayList<>(first);
    all.addAll(second);
    SparkComputationGraph spark = new SparkComputationGraph(sc, net,
        RangeMergingTrainingMaster.create(2, STEPS, new StepSeedHook()));
    spark.fitMultiDataSet(sc.parallelize(all, 2));
    return net;
  }

  private static double[] states(ComputationGraph net) {
    return QuantStateMerge.extract(net.params(), QuantStateMerge.of(net).ranges());
  }

  /** {start in the extracted states, length} of each vertex's state. */
  private static List<int[]> slots(ComputationGraph net) {
    List<int[]> out = new ArrayList<>();
    int at = 0;
    for (long[] r : QuantStateMerge.of(net).ranges()) {
      out.add(new int[] {at, (int) r[1]});
      at += (int) r[1];
    }
    assertTrue(!out.isEmpty(), "a quantized network has state");
    return out;
  }

  private static boolean[] stateMask(ComputationGraph net) {
    boolean[] mask = new boolean[(int) net.params().length()];
    for (long[] r : QuantStateMerge.of(net).ranges()) {
      for (long i = r[0]; i < r[0] + r[1]; i++) {
        mask[(int) i] = true;
      }
    }
    return mask;
  }

  private static void assertClose(double[] expected, double[] actual, double rel, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    for (int i = 0; i < expected.length; i++) {
      double tol = rel * Math.max(1, Math.abs(expected[i]));
      assertEquals(expected[i], actual[i], tol, what + " [" + i + "]");
    }
  }
}
