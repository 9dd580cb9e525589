package io.dqspark.train;

import io.dqspark.gnn.GraphInputs;
import io.dqspark.gnn.Nd4jSeeds;
import io.dqspark.graph.GraphDataset;
import io.dqspark.graph.GraphLevel;
import io.dqspark.graph.Split;
import io.dqspark.stats.DegreeStats;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;

/**
 * Full-batch node classification on a dataset's train/validation/test split: one optimiser step
 * per epoch on the training nodes, then an evaluation forward (every node quantized) scoring the
 * validation and test nodes; the result is the test accuracy at the epoch of lowest validation
 * loss, and the network ends holding that epoch's parameters.
 */
public final class NodeClassificationRun {
  private final GraphDataset data;
  private final boolean rowNormalize;
  private final int[] trainRows;
  private final int[] valRows;
  private final int[] testRows;
  private ComputationGraph net;

  /** @param rowNormalize divide each feature row by its sum (PyG's NormalizeFeatures, Planetoid) */
  public NodeClassificationRun(GraphDataset data, boolean rowNormalize) {
    if (data.level() != GraphLevel.NODE) {
      throw new IllegalArgumentException("dataset '" + data.name() + "' is graph-level");
    }
    this.data = data;
    this.rowNormalize = rowNormalize;
    this.trainRows = nonEmpty(GraphInputs.rows(data, Split.TRAIN), Split.TRAIN);
    this.valRows = nonEmpty(GraphInputs.rows(data, Split.VAL), Split.VAL);
    this.testRows = nonEmpty(GraphInputs.rows(data, Split.TEST), Split.TEST);
  }

  private int[] nonEmpty(int[] rows, Split split) {
    if (rows.length == 0) {
      throw new IllegalArgumentException("dataset '" + data.name() + "' has no labelled "
          + split.name().toLowerCase() + " nodes");
    }
    return rows;
  }

  /** Trains with {@code o} and returns the scores at the best validation epoch. */
  public RunResult run(TrainingOptions o) {
    return run(o, EpochListener.NONE);
  }

  /** Trains with {@code o}, telling {@code listener} about every epoch. */
  public RunResult run(TrainingOptions o, EpochListener listener) {
    o.validate();
    Nd4jSeeds.seed(o.seed);
    double[] maskProb = o.mode() == io.dqspark.gnn.QuantMode.DQ
        ? DegreeStats.compute(data, o.protectionRule(), false).maskProb()
        : null;
    DataType type = DataType.FLOAT;
    INDArray[] inputs = GraphInputs.nodeLevel(data, maskProb, rowNormalize, type);
    MultiDataSet train = GraphInputs.example(inputs, GraphInputs.oneHotLabels(data, type),
        GraphInputs.labelMask(data, Split.TRAIN, type));
    boolean signed = minFeature(inputs[GraphInputs.FEATURES]) < 0;
    net = new ComputationGraph(NodeClassifiers.build(o, data.featureDim(), data.numClasses(),
        trainRows.length, signed));
    net.init();

    int[] valLabels = labels(valRows);
    int[] testLabels = labels(testRows);
    return EpochLoop.run(net, o, new EpochLoop.Task() {
      @Override
      public void trainEpoch() {
        net.fit(train);
      }

      @Override
      public EpochLoop.Evaluation evaluate() {
        INDArray probabilities = net.output(false, inputs)[0];
        return new EpochLoop.Evaluation(Scores.of(probabilities, valRows, valLabels),
            Scores.of(probabilities, testRows, testLabels));
      }
    }, listener);
  }

  /** The trained network, holding the parameters of the best validation epoch. */
  public ComputationGraph network() {
    return net;
  }

  private int[] labels(int[] rows) {
    int[] y = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      y[i] = data.vertices().label(rows[i]);
    }
    return y;
  }

  private static double minFeature(INDArray features) {
    return features.length() == 0 ? 0 : features.minNumber().doubleValue();
  }
}
