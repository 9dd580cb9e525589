package io.dqspark.jobs.train;

import io.dqspark.gnn.GraphBatch;
import io.dqspark.gnn.GraphInputs;
import io.dqspark.graph.GraphDataset;
import io.dqspark.graph.GraphLevel;
import io.dqspark.graph.Split;
import io.dqspark.jobs.reproduce.DatasetSource;
import io.dqspark.stats.ProtectionRule;
import io.dqspark.train.CrossValidationFolds;
import io.dqspark.train.FeatureScaling;
import io.dqspark.train.Fold;
import io.dqspark.train.GraphClassificationRun;
import io.dqspark.train.NodeClassifiers;
import io.dqspark.train.Scores;
import io.dqspark.train.TrainingOptions;
import io.dqspark.util.DqInputException;
import io.dqspark.util.HadoopFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The driver's side of a run: the whole dataset as the single-JVM engine loads it (so both train
 * and score on identical data and splits), the network configuration, and the evaluation forward
 * on the validation and test sets after each round (every node quantized, nothing protected).
 * Workers never see validation or test labels: graph-level workers get the fold's training graph
 * ids; node-level workers train only on nodes whose split is {@code train}.
 */
final class DriverData {
  private static final DataType TYPE = DataType.FLOAT;

  /** Validation and test scores of one evaluation forward. */
  record Evaluation(Scores validation, Scores test) {}

  final GraphDataset data;
  final String source;
  final GraphLevel level;
  final boolean rowNormalize;
  final boolean signedFeatures;
  /** Graph-level only. */
  final Fold fold;
  final double[] featureScale;
  private final INDArray[] valInputs;
  private final INDArray[] testInputs;
  private final int[] valRows;
  private final int[] testRows;
  private final int[] valLabels;
  private final int[] testLabels;
  private final int trainCount;

  private DriverData(GraphDataset data, String source, boolean rowNormalize, Fold fold, double[] scale) {
    this.data = data;
    this.source = source;
    this.level = data.level();
    this.rowNormalize = rowNormalize;
    this.fold = fold;
    this.featureScale = scale;
    if (level == GraphLevel.NODE) {
      INDArray[] all = GraphInputs.nodeLevel(data, null, rowNormalize, TYPE);
      valInputs = all;
      testInputs = all;
      valRows = nonEmpty(GraphInputs.rows(data, Split.VAL), "validation");
      testRows = nonEmpty(GraphInputs.rows(data, Split.TEST), "test");
      valLabels = IntStream.of(valRows).map(r -> data.vertices().label(r)).toArray();
      testLabels = IntStream.of(testRows).map(r -> data.vertices().label(r)).toArray();
      trainCount = nonEmpty(GraphInputs.rows(data, Split.TRAIN), "training").length;
      signedFeatures = all[GraphInputs.FEATURES].minNumber().doubleValue() < 0;
    } else {
      GraphBatch batch = GraphBatch.of(data, null);
      valInputs = batch.inputs(fold.validation(), TYPE);
      testInputs = batch.inputs(fold.test(), TYPE);
      valLabels = IntStream.of(fold.validation()).map(g -> data.graphs().label(g)).toArray();
      testLabels = IntStream.of(fold.test()).map(g -> data.graphs().label(g)).toArray();
      valRows = IntStream.range(0, valLabels.length).toArray();
      testRows = IntStream.range(0, testLabels.length).toArray();
      trainCount = fold.train().length;
      float min = 0;
      for (float[] row : data.vertices().features()) {
        for (float f : row) {
          min = Math.min(min, f);
        }
      }
      signedFeatures = min < 0;
    }
  }

  /** Loads {@code input} with the lib loaders; graph-level data is scaled and split by fold. */
  static DriverData load(String input, boolean rowNormalize, int foldIndex, String splits) {
    if (TrainInput.isCanonicalTables(input)) {
      return new DriverData(TrainInput.read(input), input, rowNormalize, null, null);
    }
    DatasetSource src = DatasetSource.resolve(input);
    GraphDataset raw = src.load();
    if (raw.level() == GraphLevel.NODE) {
      return new DriverData(raw, src.dir().toAbsolutePath().normalize().toString(), rowNormalize, null, null);
    }
    double[] scale = FeatureScaling.columnMaxAbs(raw);
    GraphDataset scaled = FeatureScaling.scaled(raw, scale);
    Path file = splits != null ? Path.of(splits) : src.splitsFile().orElse(null);
    List<Fold> folds = file != null
        ? CrossValidationFolds.read(HadoopFiles.withDefaults(), file.toAbsolutePath().toString(), raw.graphs().size())
        : CrossValidationFolds.stratified(raw.graphs().labels(), CrossValidationFolds.FILE_FOLDS, 12345);
    if (foldIndex < 0 || foldIndex >= folds.size()) {
      throw new DqInputException("fold = " + foldIndex + " but there are " + folds.size() + " folds");
    }
    return new DriverData(scaled, src.dir().toAbsolutePath().normalize().toString(), false,
        folds.get(foldIndex), scale);
  }

  /** The graph ids of the fold's training graphs (graph-level), for the workers. */
  long[] trainGraphIds() {
    return IntStream.of(fold.train()).mapToLong(g -> data.graphs().graphId(g)).toArray();
  }

  /**
   * The network of the single-JVM engine for this data. One big graph: each worker's loss sums over
   * its part's labelled nodes, so the weight decay is scaled by the training nodes per part.
   */
  ComputationGraphConfiguration network(TrainingOptions o, int parts) {
    if (level == GraphLevel.NODE) {
      int perPart = Math.max(1, Math.round((float) trainCount / parts));
      return NodeClassifiers.build(o, data.featureDim(), data.numClasses(), perPart, signedFeatures);
    }
    return GraphClassificationRun.network(o, data.featureDim(), data.numClasses(), signedFeatures);
  }

  Evaluation evaluate(ComputationGraph net) {
    INDArray valOut = net.output(false, valInputs)[0];
    INDArray testOut = valInputs == testInputs ? valOut : net.output(false, testInputs)[0];
    return new Evaluation(Scores.of(valOut, valRows, valLabels), Scores.of(testOut, testRows, testLabels));
  }

  /** Mask probabilities matter only for Degree-Quant; the rule's ceiling is what shards must reach. */
  static Double requiredPHigh(TrainingOptions o) {
    if (o.mode() != io.dqspark.gnn.QuantMode.DQ) {
      return null;
    }
    ProtectionRule r = o.protectionRule();
    return r.pHigh();
  }

  private int[] nonEmpty(int[] rows, String what) {
    if (rows.length == 0) {
      throw new DqInputException(data.name() + ": no labelled " + what + " nodes");
    }
    return rows;
  }
}
