package io.dqspark.gnn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.Set;
import java.util.function.DoubleSupplier;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The finite-difference machinery the layer tests share: DL4J's {@code GradientCheckUtil} with one
 * set of tolerances, and central differences of a scalar loss against an analytic gradient.
 */
final class GradientChecks {
  /** Step of the central differences. */
  static final double H = 1e-6;

  private GradientChecks() {}

  /** DL4J's check of every parameter not in {@code exclude} (label masks may be null). */
  static boolean dl4j(ComputationGraph net, INDArray[] inputs, INDArray labels, INDArray labelMask,
      Set<String> exclude) {
    return GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig()
        .net(net)
        .inputs(inputs)
        .labels(new INDArray[] {labels})
        .labelMask(labelMask == null ? null : new INDArray[] {labelMask})
        .epsilon(H)
        .maxRelError(1e-3)
        .minAbsoluteError(1e-8)
        .excludeParams(exclude));
  }

  /**
   * DL4J's check of a node classifier on {@link TinyGraph}(11): random one-hot labels, every third
   * node unlabelled, so the label mask matters.
   */
  static boolean nodeClassifier(ComputationGraph net, int classes, Set<String> exclude) {
    TinyGraph g = new TinyGraph(11);
    Random r = new Random(5);
    INDArray labels = Nd4j.zeros(DataType.DOUBLE, TinyGraph.N, classes);
    INDArray mask = Nd4j.zeros(DataType.DOUBLE, TinyGraph.N, 1);
    for (int i = 0; i < TinyGraph.N; i++) {
      labels.putScalar(i, r.nextInt(classes), 1.0);
      mask.putScalar(i, 0, i % 3 == 0 ? 0.0 : 1.0);
    }
    return dl4j(net, g.inputs(DataType.DOUBLE), labels, mask, exclude);
  }

  /**
   * {@code d loss / d values[i]} for the first {@code count} elements, by central differences; each
   * element is restored after its two evaluations.
   */
  static double[] centralDifferences(INDArray values, long count, DoubleSupplier loss) {
    double[] numeric = new double[Math.toIntExact(count)];
    for (int i = 0; i < numeric.length; i++) {
      double orig = values.getDouble(i);
      values.putScalar(i, orig + H);
      double plus = loss.getAsDouble();
      values.putScalar(i, orig - H);
      double minus = loss.getAsDouble();
      values.putScalar(i, orig);
      numeric[i] = (plus - minus) / (2 * H);
    }
    return numeric;
  }

  /** Asserts {@code analytic[i]} equals {@code numeric[i]} within {@code 1e-7 + 1e-6 |numeric|}. */
  static void assertMatches(double[] numeric, INDArray analytic, String what) {
    for (int i = 0; i < numeric.length; i++) {
      assertEquals(numeric[i], analytic.getDouble(i), 1e-7 + 1e-6 * Math.abs(numeric[i]), what + " " + i);
    }
  }

  /** Central differences of {@code loss} with respect to {@code values}, against {@code analytic}. */
  static double[] check(INDArray values, long count, INDArray analytic, DoubleSupplier loss, String what) {
    double[] numeric = centralDifferences(values, count, loss);
    assertMatches(numeric, analytic, what);
    return numeric;
  }
}
