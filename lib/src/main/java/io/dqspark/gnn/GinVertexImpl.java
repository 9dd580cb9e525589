package io.dqspark.gnn;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.api.TrainingConfig;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.BaseGraphVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

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
public final class GinVertexImpl extends QuantizedVertexImpl<GinVertexImpl.Cache> {
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
  private final INDArray state;
  private INDArray[] gradViews;
  private final QuantPoint[] points = new QuantPoint[POINTS];
  private final QuantState quantState;

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
    super(graph, name, index, dataType,
        new VertexTrainingConfig(name, conf.getUpdater(), conf.getL2(), Set.of(W1_KEY, W2_KEY), STATE_KEY),
        paramsView);
    if (conf.getNIn() < 1 || conf.getHidden() < 1) {
      throw new IllegalArgumentException("vertex '" + name + "' needs nIn, hidden >= 1, got "
          + conf.getNIn() + ", " + conf.getHidden());
    }
    this.conf = conf;
    this.nIn = conf.getNIn();
    this.hidden = conf.getHidden();
    INDArray[] views = split(paramsView);
    this.w1 = views[0];
    this.b1 = views[1];
    this.w2 = views[2];
    this.b2 = views[3];
    this.eps = views[4];
    this.state = views[5];
    for (GinPoint p : GinPoint.values()) {
      points[p.ordinal()] = new QuantPoint(name + "." + p.name().toLowerCase(),
          conf.getMode(), conf.getBits(), signed(p), conf.isPassThrough());
    }
    quantState = new QuantState(points, conf.getMode(), conf.getMaskSeed());
    if (initialize) {
      // U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and biases, as PyTorch's Linear
      uniform(w1, 1 / Math.sqrt(nIn));
      uniform(b1, 1 / Math.sqrt(nIn));
      uniform(w2, 1 / Math.sqrt(hidden));
      uniform(b2, 1 / Math.sqrt(hidden));
      eps.assign(0);
      state.assign(0);
    }
  }

  private boolean signed(GinPoint p) {
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

  private static void uniform(INDArray view, double bound) {
    Nd4j.rand(view);
    view.muli(2 * bound).subi(bound);
  }

  /** Views {@code W1, b1, W2, b2, eps, q} of a flat array, in layout order. */
  private INDArray[] split(INDArray flatView) {
    long expected = conf.numParams(true);
    if (flatView == null || flatView.length() != expected) {
      throw new IllegalArgumentException("vertex '" + vertexName + "' expects " + expected
          + " parameters, got " + (flatView == null ? "none" : flatView.length()));
    }
    INDArray flat = flatView.reshape(flatView.length());
    long[][] shapes = {{nIn, hidden}, {1, hidden}, {hidden, hidden}, {1, hidden}, {1, 1},
        {STATE_LENGTH}};
    INDArray[] views = new INDArray[shapes.length];
    long at = 0;
    for (int i = 0; i < shapes.length; i++) {
      long len = 1;
      for (long d : shapes[i]) {
        len *= d;
      }
      INDArray part = flat.get(NDArrayIndex.interval(at, at + len));
      views[i] = shapes[i].length == 1 ? part : part.reshape('c', shapes[i]);
      at += len;
    }
    return views;
  }

  /** The quantization point {@code p} of this layer (ranges, parameters; for tests and export). */
  public QuantPoint quantPoint(GinPoint p) {
    return points[p.ordinal()];
  }

  /** Loads every point's range from the parameters (after training or loading a checkpoint). */
  public void loadQuantState() {
    quantState.begin(state);
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
    quantState.begin(state);
    boolean[] protect = quantState.protectedNodes(inputs[2], (long) inputs[1].getDouble(2), n, training);
    Cache c = new Cache();
    c.graph = g;
    int f = nIn;
    int h = hidden;
    double[] x = NdArrays.toDouble(xIn);
    c.x = x;

    // M[e] = X[src[e]]
    int m = g.numEdges;
    int[] src = g.src;
    int[] dst = g.dst;
    double[] msg = new double[m * f];
    for (int e = 0; e < m; e++) {
      System.arraycopy(x, src[e] * f, msg, e * f, f);
    }
    boolean[] edgeProtect = null;
    if (protect != null) {
      edgeProtect = new boolean[m];
      for (int e = 0; e < m; e++) {
        edgeProtect[e] = protect[src[e]];
      }
    }
    points[GinPoint.MESSAGE.ordinal()].forward(msg, f, edgeProtect, training);

    // A[v] = sum of M[e] over edges with dst[e] = v
    double[] agg = new double[n * f];
    for (int e = 0; e < m; e++) {
      int to = dst[e] * f;
      int from = e * f;
      for (int k = 0; k < f; k++) {
        agg[to + k] += msg[from + k];
      }
    }
    points[GinPoint.AGGREGATE.ordinal()].forward(agg, f, protect, training);

    // H = (1 + eps) X + A, then the MLP
    double onePlusEps = 1 + eps.getDouble(0);
    c.onePlusEps = onePlusEps;
    for (int i = 0; i < agg.length; i++) {
      agg[i] += onePlusEps * x[i];
    }
    points[GinPoint.LIN1_INPUT.ordinal()].forward(agg, f, null, training);
    c.h0 = NdArrays.fromDouble(agg, dataType, n, f);
    c.w1q = quantize(GinPoint.LIN1_WEIGHT, w1, h, training);
    double[] z1 = linear(c.h0, c.w1q, b1, h);
    points[GinPoint.LIN1_OUTPUT.ordinal()].forward(z1, h, null, training);
    c.z1 = z1;

    double[] r = new double[z1.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = z1[i] > 0 ? z1[i] : 0;
    }
    points[GinPoint.LIN2_INPUT.ordinal()].forward(r, h, null, training);
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
    points[GinPoint.OUTPUT.ordinal()].forward(y, h, protect, training);

    if (training) {
      quantState.advance();
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
    QuantPoint q = points[p.ordinal()];
    if (!q.tracks()) {
      return a;
    }
    double[] v = NdArrays.toDouble(a);
    q.forward(v, cols, null, training);
    return q.quantizes() ? NdArrays.fromDouble(v, dataType, a.shape()) : a;
  }


  // ------------------------------------------------------------------ backward

  @Override
  protected Gradient gradient(INDArray flatGradients) {
    Gradient gradient = new DefaultGradient(flatGradients);
    String[] keys = {W1_KEY, B1_KEY, W2_KEY, B2_KEY, EPS_KEY, STATE_KEY};
    for (int i = 0; i < keys.length; i++) {
      gradient.setGradientFor(keys[i], gradViews[i]);
    }
    return gradient;
  }

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
    points[GinPoint.OUTPUT.ordinal()].backward(gy);
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
    points[GinPoint.LIN2_INPUT.ordinal()].backward(gh1);
    double[] z1 = c.z1;
    for (int i = 0; i < gh1.length; i++) {
      if (!(z1[i] > 0)) {
        gh1[i] = 0;
      }
    }
    // first linear layer
    points[GinPoint.LIN1_OUTPUT.ordinal()].backward(gh1);
    INDArray gZ1 = NdArrays.fromDouble(gh1, dataType, n, h);
    gradViews[1].assign(gZ1.sum(true, 0));
    gradViews[0].assign(straightThrough(GinPoint.LIN1_WEIGHT, c.h0.transpose().mmul(gZ1)));
    double[] gh = NdArrays.toDouble(gZ1.mmul(c.w1q.transpose()));
    points[GinPoint.LIN1_INPUT.ordinal()].backward(gh);

    // H = (1 + eps) X + A
    double[] x = c.x;
    double gEps = 0;
    double[] gx = new double[n * f];
    for (int i = 0; i < gh.length; i++) {
      gEps += gh[i] * x[i];
      gx[i] = c.onePlusEps * gh[i];
    }
    gradViews[4].assign(gEps);
    points[GinPoint.AGGREGATE.ordinal()].backward(gh);

    // dL/dM[e] = dL/dA[dst[e]];  dL/dX[src[e]] += dL/dM[e]
    int[] src = g.src;
    int[] dst = g.dst;
    double[] gm = new double[m * f];
    for (int e = 0; e < m; e++) {
      System.arraycopy(gh, dst[e] * f, gm, e * f, f);
    }
    points[GinPoint.MESSAGE.ordinal()].backward(gm);
    for (int e = 0; e < m; e++) {
      int to = src[e] * f;
      int from = e * f;
      for (int k = 0; k < f; k++) {
        gx[to + k] += gm[from + k];
      }
    }
    quantState.writeGradient(gradViews[5], dataType);
    return NdArrays.fromDouble(gx, dataType, n, f);
  }

  /** The gradient through point {@code p}: {@code g} itself unless clip-aware zeroing applies. */
  private INDArray straightThrough(GinPoint p, INDArray g) {
    QuantPoint q = points[p.ordinal()];
    if (!q.quantizes() || conf.getMode() != QuantMode.DQ) {
      return g;
    }
    double[] v = NdArrays.toDouble(g);
    q.backward(v);
    return NdArrays.fromDouble(v, dataType, g.shape());
  }

  // ------------------------------------------------------------------ DL4J plumbing

  @Override
  protected void splitGradients(INDArray flatGradients) {
    gradViews = split(flatGradients);
  }

  @Override
  public Map<String, INDArray> paramTable(boolean backpropOnly) {
    Map<String, INDArray> table = new LinkedHashMap<>();
    table.put(W1_KEY, w1);
    table.put(B1_KEY, b1);
    table.put(W2_KEY, w2);
    table.put(B2_KEY, b2);
    table.put(EPS_KEY, eps);
    table.put(STATE_KEY, state);
    return table;
  }



  @Override
  public String toString() {
    return "GinVertexImpl(" + vertexName + ": " + conf + ")";
  }
}
