package io.dqspark.gnn;

import java.util.Set;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runtime of {@link GinVertex}. The two dense products use ND4J's {@code mmul}; gather, the
 * self term and the scatter-add to destinations are flat loops over the edge list, as in {@link
 * GcnVertexImpl}.
 *
 * <p>Forward, for {@code E} input edges without self-loops:
 * <pre>
 *   M[e] = Q_msg(X[src[e]]);  A[v] = Q_agg(sum over dst[e] = v of M[e])
 *   H0 = Q_in1((1 + eps) X + A);  Z1 = Q_out1(H0 Q_w1(W1) + b1)
 *   H1 = Q_in2(relu(Z1));         Z2 = H1 Q_w2(W2) + b2
 *   Y  = Q_out(relu(Z2) or Z2)
 * </pre>
 * where {@code Q_out} is both the second linear layer's output quantizer and the vertex's (see
 * {@link GinPoint#OUTPUT}).
 * and backward applies the chain rule in reverse with each quantizer's straight-through rule.
 * Intermediates live outside DL4J workspaces; only the returned activations and epsilons go into
 * the workspaces DL4J asks for.
 *
 * <p>State {@code q} ({@link QuantState}): a step counter that seeds DQ's protective mask, then
 * the range of each {@link GinPoint} in order.
 */
public final class GinVertexImpl extends QuantizedVertexImpl<GinVertexImpl.Cache, GinPoint> {
  public static final String W1_KEY = "W1";
  public static final String B1_KEY = "b1";
  public static final String W2_KEY = "W2";
  public static final String B2_KEY = "b2";
  public static final String EPS_KEY = "eps";
  private static final int POINTS = GinPoint.values().length;
  public static final int STATE_LENGTH = QuantState.length(POINTS);

  private final GinVertex conf;
  private final int nIn;
  private final int hidden;
  private final INDArray w1;
  private final INDArray b1;
  private final INDArray w2;
  private final INDArray b2;
  private final INDArray eps;

  /** What backward needs from the last training forward. */
  static final class Cache {
    GraphStructure graph;
    double[] x;
    double onePlusEps;
    INDArray h0;
    INDArray w1q;
    double[] z1;
    INDArray h1;
    INDArray w2q;
    double[] z2;
  }

  /** Trainable parameter count: W1, b1, W2, b2 and eps. */
  static long trainableParams(int nIn, int hidden) {
    return (long) nIn * hidden + hidden + (long) hidden * hidden + hidden + 1;
  }

  GinVertexImpl(ComputationGraph graph, String name, int index, GinVertex conf, INDArray paramsView,
      boolean initialize, DataType dataType) {
    super(graph, name, index, dataType, conf,
        new VertexTrainingConfig(name, conf.getUpdater(), conf.getL2(), Set.of(W1_KEY, W2_KEY), STATE_KEY),
        paramsView, new String[] {W1_KEY, B1_KEY, W2_KEY, B2_KEY, EPS_KEY, STATE_KEY}, layout(conf, name),
        GinPoint.values(), p -> signed(conf, p));
    this.conf = conf;
    this.nIn = conf.getNIn();
    this.hidden = conf.getHidden();
    this.w1 = paramViews[0];
    this.b1 = paramViews[1];
    this.w2 = paramViews[2];
    this.b2 = paramViews[3];
    this.eps = paramViews[4];
    if (initialize) {
      // U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and biases, as PyTorch's Linear
      uniform(w1, 1 / Math.sqrt(nIn));
      uniform(b1, 1 / Math.sqrt(nIn));
      uniform(w2, 1 / Math.sqrt(hidden));
      uniform(b2, 1 / Math.sqrt(hidden));
      eps.assign(0);
      state().assign(0);
    }
  }

  /** {@code W1, b1, W2, b2, eps, q} in layout order, after checking the sizes. */
  private static long[][] layout(GinVertex conf, String name) {
    checkSize(name, "nIn", conf.getNIn());
    checkSize(name, "hidden", conf.getHidden());
    long f = conf.getNIn();
    long h = conf.getHidden();
    return new long[][] {{f, h}, {1, h}, {h, h}, {1, h}, {1, 1}, {STATE_LENGTH}};
  }

  private static boolean signed(GinVertex conf, GinPoint p) {
    switch (p) {
      case MESSAGE:
      case AGGREGATE:
        return conf.isSignedInput();
      case LIN2_INPUT:
        return false; // after the MLP's inner ReLU
      case OUTPUT:
        return !conf.isOutputRelu();
      default:
        return true;
    }
  }

  public GinVertex getVertexConf() {
    return conf;
  }

  // ------------------------------------------------------------------ forward


  @Override
  protected INDArray forward(boolean training) {
    INDArray xIn = inputs[0].castTo(dataType);
    int n = checkInputs(xIn, nIn);
    GraphStructure g = GraphStructure.withoutSelfLoops(inputs[GraphInputs.COUNT - 1], n);
    boolean[] protect = beginForward(n, training);
    Cache c = new Cache();
    c.graph = g;
    int f = nIn;
    int h = hidden;
    double[] x = NdArrays.toDouble(xIn);
    c.x = x;

    // M[e] = Q_msg(X[src[e]]);  A[v] = sum of M[e] over edges with dst[e] = v
    int m = g.numEdges;
    int[] src = g.src;
    int[] dst = g.dst;
    boolean[] edgeProtect = bySource(protect, src, m);
    double[] agg = new double[n * f];
    if (featuresFromNetworkInput()) {
      // no message gradient to send back: message e equals row src[e] quantized (it is protected
      // with its source), so the quantizer runs once per node and the range observes the messages
      QuantPoint q = quantPoint(GinPoint.MESSAGE);
      if (training && q.tracks()) {
        float[] observed = new float[m * f];
        for (int e = 0, i = 0; e < m; e++) {
          for (int k = src[e] * f, end = k + f; k < end; k++, i++) {
            observed[i] = (float) x[k];
          }
        }
        q.observe(observed, f, edgeProtect);
      }
      double[] xq = x.clone();
      q.quantize(xq, f, protect, training);
      for (int e = 0; e < m; e++) {
        int to = dst[e] * f;
        int from = src[e] * f;
        for (int k = 0; k < f; k++) {
          agg[to + k] += xq[from + k];
        }
      }
    } else {
      double[] msg = new double[m * f];
      for (int e = 0; e < m; e++) {
        System.arraycopy(x, src[e] * f, msg, e * f, f);
      }
      quantPoint(GinPoint.MESSAGE).forward(msg, f, edgeProtect, training);
      for (int e = 0; e < m; e++) {
        int to = dst[e] * f;
        int from = e * f;
        for (int k = 0; k < f; k++) {
          agg[to + k] += msg[from + k];
        }
      }
    }
    quantPoint(GinPoint.AGGREGATE).forward(agg, f, protect, training);

    // H = (1 + eps) X + A, then the MLP
    double onePlusEps = 1 + eps.getDouble(0);
    c.onePlusEps = onePlusEps;
    for (int i = 0; i < agg.length; i++) {
      agg[i] += onePlusEps * x[i];
    }
    quantPoint(GinPoint.LIN1_INPUT).forward(agg, f, null, training);
    c.h0 = NdArrays.fromDouble(agg, dataType, n, f);
    c.w1q = quantize(GinPoint.LIN1_WEIGHT, w1, h, training);
    double[] z1 = linear(c.h0, c.w1q, b1, h);
    quantPoint(GinPoint.LIN1_OUTPUT).forward(z1, h, null, training);
    c.z1 = z1;

    double[] r = new double[z1.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = z1[i] > 0 ? z1[i] : 0;
    }
    quantPoint(GinPoint.LIN2_INPUT).forward(r, h, null, training);
    c.h1 = NdArrays.fromDouble(r, dataType, n, h);
    c.w2q = quantize(GinPoint.LIN2_WEIGHT, w2, h, training);
    double[] z2 = linear(c.h1, c.w2q, b2, h);
    c.z2 = z2;

    double[] y = z2.clone();
    if (conf.isOutputRelu()) {
      for (int i = 0; i < y.length; i++) {
        y[i] = y[i] > 0 ? y[i] : 0;
      }
    }
    quantPoint(GinPoint.OUTPUT).forward(y, h, protect, training);

    if (training) {
      quantState().advance();
    }
    last = training ? c : null;
    return NdArrays.fromDouble(y, dataType, n, h);
  }

  /** {@code a w + b} as row-major doubles. */
  private static double[] linear(INDArray a, INDArray w, INDArray b, int h) {
    double[] z = NdArrays.toDouble(a.mmul(w));
    double[] bias = NdArrays.toDouble(b);
    for (int i = 0; i < z.length; i += h) {
      for (int k = 0; k < h; k++) {
        z[i + k] += bias[k];
      }
    }
    return z;
  }

  /** Fake-quantizes a copy of {@code a} at point {@code p}; {@code a} itself when nothing changes. */
  private INDArray quantize(GinPoint p, INDArray a, int cols, boolean training) {
    return quantize(p, a, cols, null, training);
  }


  // ------------------------------------------------------------------ backward

  @Override
  protected INDArray backward(Cache c) {
    GraphStructure g = c.graph;
    int n = g.numNodes;
    int f = nIn;
    int h = hidden;
    int m = g.numEdges;
    double[] gy = NdArrays.toDouble(epsilon);
    if (gy.length != n * h) {
      throw new IllegalArgumentException("vertex '" + vertexName + "' epsilon has " + gy.length
          + " elements, expected " + n + " x " + h);
    }
    quantPoint(GinPoint.OUTPUT).backward(gy);
    if (conf.isOutputRelu()) {
      double[] z2 = c.z2;
      for (int i = 0; i < gy.length; i++) {
        if (!(z2[i] > 0)) {
          gy[i] = 0;
        }
      }
    }
    // second linear layer
    INDArray gZ2 = NdArrays.fromDouble(gy, dataType, n, h);
    gradViews[3].assign(gZ2.sum(true, 0));
    gradViews[2].assign(straightThrough(GinPoint.LIN2_WEIGHT, c.h1.transpose().mmul(gZ2)));
    double[] gh1 = NdArrays.toDouble(gZ2.mmul(c.w2q.transpose()));
    quantPoint(GinPoint.LIN2_INPUT).backward(gh1);
    double[] z1 = c.z1;
    for (int i = 0; i < gh1.length; i++) {
      if (!(z1[i] > 0)) {
        gh1[i] = 0;
      }
    }
    // first linear layer
    quantPoint(GinPoint.LIN1_OUTPUT).backward(gh1);
    INDArray gZ1 = NdArrays.fromDouble(gh1, dataType, n, h);
    gradViews[1].assign(gZ1.sum(true, 0));
    gradViews[0].assign(straightThrough(GinPoint.LIN1_WEIGHT, c.h0.transpose().mmul(gZ1)));
    double[] gh = NdArrays.toDouble(gZ1.mmul(c.w1q.transpose()));
    quantPoint(GinPoint.LIN1_INPUT).backward(gh);

    // H = (1 + eps) X + A
    double[] x = c.x;
    double gEps = 0;
    for (int i = 0; i < gh.length; i++) {
      gEps += gh[i] * x[i];
    }
    gradViews[4].assign(gEps);
    if (featuresFromNetworkInput()) {
      writeStateGradient();
      return Nd4j.zeros(dataType, n, f); // discarded by DL4J; skips the E x nIn message gradient
    }
    double[] gx = new double[n * f];
    for (int i = 0; i < gh.length; i++) {
      gx[i] = c.onePlusEps * gh[i];
    }
    quantPoint(GinPoint.AGGREGATE).backward(gh);

    // dL/dM[e] = dL/dA[dst[e]];  dL/dX[src[e]] += dL/dM[e]
    int[] src = g.src;
    int[] dst = g.dst;
    double[] gm = new double[m * f];
    for (int e = 0; e < m; e++) {
      System.arraycopy(gh, dst[e] * f, gm, e * f, f);
    }
    quantPoint(GinPoint.MESSAGE).backward(gm);
    for (int e = 0; e < m; e++) {
      int to = src[e] * f;
      int from = e * f;
      for (int k = 0; k < f; k++) {
        gx[to + k] += gm[from + k];
      }
    }
    writeStateGradient();
    return NdArrays.fromDouble(gx, dataType, n, f);
  }

  // ------------------------------------------------------------------ DL4J plumbing



  @Override
  public String toString() {
    return "GinVertexImpl(" + vertexName + ": " + conf + ")";
  }
}
