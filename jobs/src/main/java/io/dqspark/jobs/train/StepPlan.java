package io.dqspark.jobs.train;

import io.dqspark.gnn.GraphBatch;
import io.dqspark.gnn.GraphInputs;
import io.dqspark.gnn.HaloSubgraph;
import io.dqspark.graph.GraphDataset;
import io.dqspark.graph.GraphLevel;
import io.dqspark.graph.Split;
import io.dqspark.train.FeatureScaling;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What a worker trains on in each step, built on the executor from its cached shards. One big
 * graph: one full-batch step per part and epoch on the part's subgraph plus halo, the loss on the
 * part's own labelled training nodes (halo vertices carry no label). Graph-level data: the part's
 * training graphs shuffled per (seed, epoch, part) and packed into mini-batches of whole graphs.
 * Every example's header carries its {@link StepKeys step key}.
 */
final class StepPlan implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final DataType TYPE = DataType.FLOAT;

  private final GraphLevel level;
  private final long seed;
  private final int batchSize;
  private final boolean rowNormalize;
  /** Graph-level: per-column divisors of the whole dataset (FeatureScaling.columnMaxAbs). */
  private final double[] featureScale;
  /** Graph-level: the graph ids of the fold's training set, sorted. */
  private final long[] trainGraphs;
  /** Whether the examples carry mask_prob (Degree-Quant); otherwise nothing is protected. */
  private final boolean protect;

  StepPlan(GraphLevel level, long seed, int batchSize, boolean rowNormalize, double[] featureScale,
      long[] trainGraphs, boolean protect) {
    this.level = level;
    this.seed = seed;
    this.batchSize = batchSize;
    this.rowNormalize = rowNormalize;
    this.featureScale = featureScale;
    this.trainGraphs = trainGraphs == null ? null : trainGraphs.clone();
    if (this.trainGraphs != null) {
      Arrays.sort(this.trainGraphs);
    }
    this.protect = protect;
  }

  /** A step of a worker: which of its shards, and which batch of that shard's epoch. */
  record Step(PartShard shard, int epoch, int batch) {}

  /** The steps of one worker (holding {@code shards}) in epoch {@code epoch}, in order. */
  List<Step> steps(List<PartShard> shards, int epoch) {
    List<Step> steps = new ArrayList<>();
    for (PartShard s : shards) {
      int batches = level == GraphLevel.NODE ? 1 : batches(s, epoch).size();
      for (int b = 0; b < batches; b++) {
        steps.add(new Step(s, epoch, b));
      }
    }
    return steps;
  }

  /**
   * The part whose node-level step of an epoch in {@code [fromEpoch, toEpoch)} has header key
   * {@code key}, or -1: how a failure in a layer, which sees only the key, is traced to its part.
   */
  int partOfKey(long key, int fromEpoch, int toEpoch, int parts) {
    for (int e = fromEpoch; e < toEpoch; e++) {
      for (int p = 0; p < parts; p++) {
        if (StepKeys.key(seed, e, p, 0) == key) {
          return p;
        }
      }
    }
    return -1;
  }

  /** Builds the training example of one step. */
  MultiDataSet example(Step step) {
    PartShard s = step.shard();
    long key = StepKeys.key(seed, step.epoch(), s.part(), step.batch());
    MultiDataSet ex;
    if (level == GraphLevel.NODE) {
      ex = nodeExample(s);
    } else {
      int[] graphs = batches(s, step.epoch()).get(step.batch());
      ex = batchOf(s).example(graphs, TYPE);
    }
    INDArray header = ex.getFeatures(GraphInputs.HEADER);
    ex.setFeatures(GraphInputs.HEADER, GraphInputs.header((int) header.getDouble(0),
        (int) header.getDouble(1), key, TYPE));
    return ex;
  }

  /**
   * One big graph: the part's example, built once per executor; a step only swaps the header (the
   * single-JVM engine likewise fits the same example every epoch).
   */
  private MultiDataSet nodeExample(PartShard s) {
    MultiDataSet ex = s.example;
    if (ex == null && s.hasStandIns()) {
      ex = scopedExample(s);
      s.example = ex;
    } else if (ex == null) {
      GraphDataset d = s.dataset();
      INDArray[] in = GraphInputs.nodeLevel(d, protect ? s.maskProb : null, rowNormalize, TYPE);
      ex = GraphInputs.example(in, GraphInputs.oneHotLabels(d, TYPE), GraphInputs.labelMask(d, Split.TRAIN, TYPE));
      s.example = ex;
    }
    return new org.nd4j.linalg.dataset.MultiDataSet(ex.getFeatures().clone(), ex.getLabels(), null,
        ex.getLabelsMaskArrays());
  }

  /**
   * A GCN's part as {@link HaloSubgraph}'s scoped subgraph: labels and the training mask on the own
   * rows only (raw halo and stand-in rows carry none).
   */
  private MultiDataSet scopedExample(PartShard s) {
    HaloSubgraph.Part part = s.gcnPart(rowNormalize);
    INDArray[] in = HaloSubgraph.inputs(protect ? part : withoutProtection(part), s.haloStandIns, 0, TYPE);
    int rows = (int) in[GraphInputs.FEATURES].size(0);
    double[] y = new double[rows * s.numClasses];
    double[] mask = new double[rows];
    for (int i = 0; i < s.numOwn; i++) {
      if (s.labels[i] >= 0 && s.splits[i] == Split.TRAIN.ordinal()) {
        y[i * s.numClasses + s.labels[i]] = 1;
        mask[i] = 1;
      }
    }
    return GraphInputs.example(in, Nd4j.createFromArray(y).reshape(rows, s.numClasses).castTo(TYPE),
        Nd4j.createFromArray(mask).reshape(rows, 1).castTo(TYPE));
  }

  private static HaloSubgraph.Part withoutProtection(HaloSubgraph.Part p) {
    return new HaloSubgraph.Part(p.own(), p.features(), p.degree(), p.src(), p.dst(),
        new double[p.maskProb().length]);
  }

  /** Graph-level: the part's training graphs (local indices) cut into this epoch's mini-batches. */
  private List<int[]> batches(PartShard s, int epoch) {
    int[] train = new int[s.graphIds.length];
    int n = 0;
    for (int g = 0; g < s.graphIds.length; g++) {
      if (Arrays.binarySearch(trainGraphs, s.graphIds[g]) >= 0) {
        train[n++] = g;
      }
    }
    Random shuffle = new Random(StepKeys.key(seed, epoch, s.part(), -1));
    return GraphBatch.miniBatches(Arrays.copyOf(train, n), batchSize, shuffle);
  }

  /** Graph-level: the shard's packer, built once per executor (the shard RDD is cached). */
  private GraphBatch batchOf(PartShard s) {
    GraphBatch b = s.packer;
    if (b == null) {
      GraphDataset scaled = FeatureScaling.scaled(s.dataset(), featureScale);
      b = GraphBatch.of(scaled, protect ? s.maskProb : null);
      s.packer = b;
    }
    return b;
  }
}
