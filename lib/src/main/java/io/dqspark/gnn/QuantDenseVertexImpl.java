package io.dqspark.gnn;

import java.util.Arrays;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runtime of {@link QuantDenseVertex}:
 * <pre>
 *   Xq = Q_in(dropout(X));  Wq = Q_w(W);  O = Q_out(Xq Wq + b);  Y = relu(O) or O
 * </pre>
 * and backward by the chain rule with each quantizer's straight-through rule. It shares the
 * parameter layout, state and quantizer handling of {@link QuantizedVertexImpl}; only the single
 * input (and so its epsilons) differ from the GNN layers.
 *
 * <p>State {@code q} ({@link QuantState}): a step counter, then the range of each {@link
 * DensePoint} in order.
 */
public final class QuantDenseVertexImpl extends QuantizedVertexImpl<QuantDenseVertexImpl.Cache, DensePoint> {
  public static final String WEIGHT_KEY = "W";
  public static final String BIAS_KEY = "b";
  public static final int STATE_LENGTH = QuantState.length(DensePoint.values().length);

  private final QuantDenseVertex conf;
  private final int nIn;
  private final int nOut;
  private final INDArray weights;
  private final INDArray bias;

  /** What backward needs from the last training forward. */
  static final class Cache {
    INDArray xq;
    INDArray wq;
    INDArray dropMask;
    double[] preActivation;
  }

  /** Trainable parameter count: W and b. */
  static long trainableParams(int nIn, int nOut) {
    return (long) nIn * nOut + nOut;
  }

  QuantDenseVertexImpl(ComputationGraph graph, String name, int index, QuantDenseVertex conf,
      INDArray paramsView, boolean initialize, DataType dataType) {
    super(graph, name, index, dataType, conf,
        new VertexTrainingConfig(name, conf.getUpdater(), conf.getL2(), WEIGHT_KEY, STATE_KEY), paramsView,
        new String[] {WEIGHT_KEY, BIAS_KEY, STATE_KEY}, layout(conf, name), DensePoint.values(),
        p -> p != DensePoint.INPUT || conf.isSignedInput());
    this.conf = conf;
    this.nIn = conf.getNIn();
    this.nOut = conf.getNOut();
    this.weights = paramViews[0];
    this.bias = paramViews[1];
    if (initialize) {
      // U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and bias, as PyTorch's Linear
      uniform(weights, 1 / Math.sqrt(nIn)); // as PyTorch's Linear
      uniform(bias, 1 / Math.sqrt(nIn));
      state().assign(0);
    }
  }

  /** {@code W [nIn, nOut]}, {@code b [1, nOut]}, {@code q [STATE_LENGTH]}, after checking the sizes. */
  private static long[][] layout(QuantDenseVertex conf, String name) {
    checkSize(name, "nIn", conf.getNIn());
    checkSize(name, "nOut", conf.getNOut());
    checkProbability(name, "dropout", conf.getDropout());
    return new long[][] {{conf.getNIn(), conf.getNOut()}, {1, conf.getNOut()}, {STATE_LENGTH}};
  }

  public QuantDenseVertex getVertexConf() {
    return conf;
  }

  @Override
  protected INDArray forward(boolean training) {
    if (inputs.length != 1) {
      throw new IllegalStateException("vertex '" + vertexName + "' takes 1 input, got " + inputs.length);
    }
    INDArray x = inputs[0].castTo(dataType);
    if (x.rank() != 2 || x.size(1) != nIn || x.size(0) < 1) {
      throw new IllegalArgumentException("vertex '" + vertexName + "' expects input [rows >= 1, "
          + nIn + "], got " + Arrays.toString(x.shape()));
    }
    int rows = Math.toIntExact(x.size(0));
    loadQuantState();
    Cache c = new Cache();
    c.dropMask = dropoutMask(x, conf.getDropout(), training);
    INDArray xd = c.dropMask == null ? x : x.mul(c.dropMask);
    c.xq = quantize(DensePoint.INPUT, xd, nIn, null, training);
    c.wq = quantize(DensePoint.WEIGHT, weights, nOut, null, training);
    double[] z = NdArrays.toDouble(c.xq.mmul(c.wq));
    double[] b = NdArrays.toDouble(bias);
    for (int i = 0; i < z.length; i += nOut) {
      for (int k = 0; k < nOut; k++) {
        z[i + k] += b[k];
      }
    }
    quantPoint(DensePoint.OUTPUT).forward(z, nOut, null, training);
    c.preActivation = z;
    double[] y = z;
    if (conf.isRelu()) {
      y = new double[z.length];
      for (int i = 0; i < y.length; i++) {
        y[i] = z[i] > 0 ? z[i] : 0;
      }
    }
    if (training) {
      quantState().advance();
    }
    last = training ? c : null;
    return NdArrays.fromDouble(y, dataType, rows, nOut);
  }

  @Override
  protected INDArray backward(Cache c) {
    long rows = c.xq.size(0);
    double[] gy = NdArrays.toDouble(epsilon);
    if (gy.length != rows * nOut) {
      throw new IllegalArgumentException("vertex '" + vertexName + "' epsilon has " + gy.length
          + " elements, expected " + rows + " x " + nOut);
    }
    if (conf.isRelu()) {
      double[] pre = c.preActivation;
      for (int i = 0; i < gy.length; i++) {
        if (!(pre[i] > 0)) {
          gy[i] = 0;
        }
      }
    }
    quantPoint(DensePoint.OUTPUT).backward(gy);
    INDArray gZ = NdArrays.fromDouble(gy, dataType, rows, nOut);
    gradViews[0].assign(straightThrough(DensePoint.WEIGHT, c.xq.transpose().mmul(gZ)));
    gradViews[1].assign(gZ.sum(true, 0));
    INDArray gX = straightThrough(DensePoint.INPUT, gZ.mmul(c.wq.transpose()));
    if (c.dropMask != null) {
      gX.muli(c.dropMask);
    }
    writeStateGradient();
    return gX;
  }

  /** The single input's epsilon. */
  @Override
  protected INDArray[] inputEpsilons(INDArray epsX, LayerWorkspaceMgr workspaceMgr) {
    return new INDArray[] {workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, epsX)};
  }

  @Override
  public String toString() {
    return "QuantDenseVertexImpl(" + vertexName + ": " + conf + ")";
  }
}
