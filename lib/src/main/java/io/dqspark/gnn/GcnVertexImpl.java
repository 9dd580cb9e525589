package io.dqspark.gnn;

import io.dqspark.quant.FakeQuantizer;
import io.dqspark.quant.QuantParams;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runtime of {@link GcnVertex}. The dense transform uses ND4J's {@code mmul}; gather, scaling by
 * the normalisation coefficients and the scatter-add to destinations are flat loops over the edge
 * list, written by hand because the message tensor must be fake-quantized between gather and
 * scatter and because a plain loop has no doubt about repeated destination indices.
 *
 * <p>Forward, for {@code H = nOut} columns and {@code E'} edges including self-loops:
 * <pre>
 *   Xq = Q_in(dropout(X));  Wq = Q_w(W);  Z = Q_xw(Xq Wq)
 *   c  = Q_norm(1 / sqrt(deg[src] deg[dst]))
 *   M[e] = Q_msg(c[e] Z[src[e]]);  A[v] = Q_agg(sum over dst[e] = v of M[e]  [+ s[v] Z[v]])
 *   O = Q_out(A + b);  Y = relu(O) or O
 * </pre>
 * where the bracket holds for the stand-in rows of a part's subgraph only ({@link HaloSubgraph}),
 * and backward applies the chain rule in reverse with each quantizer's straight-through rule.
 * Intermediates live outside DL4J workspaces (they are kept from forward to backward); only the
 * returned activations and epsilons go into the workspaces DL4J asks for.
 *
 * <p>State {@code q} ({@link QuantState}): a step counter that seeds DQ's protective mask, then
 * the range of each {@link GcnPoint} in order.
 */
public final class GcnVertexImpl extends QuantizedVertexImpl<GcnVertexImpl.Cache, GcnPoint> {
  public static final String WEIGHT_KEY = "W";
  public static final String BIAS_KEY = "b";
  private static final int POINTS = GcnPoint.values().length;
  public static final int STATE_LENGTH = QuantState.length(POINTS);

  private final GcnVertex conf;
  private final int nIn;
  private final int nOut;
  private final INDArray weights;
  private final INDArray bias;

  /** What backward needs from the last training forward. */
  static final class Cache {
    GraphStructure graph;
    double[] norm;
    INDArray xq;
    INDArray wq;
    INDArray dropMask;
    double[] preActivation;
  }

  GcnVertexImpl(ComputationGraph graph, String name, int index, GcnVertex conf, INDArray paramsView,
      boolean initialize, DataType dataType) {
    super(graph, name, index, dataType, conf,
        new VertexTrainingConfig(name, conf.getUpdater(), conf.getL2(), WEIGHT_KEY, STATE_KEY), paramsView,
        new String[] {WEIGHT_KEY, BIAS_KEY, STATE_KEY}, layout(conf, name), GcnPoint.values(),
        p -> p != GcnPoint.INPUT || conf.isSignedInput());
    this.conf = conf;
    this.nIn = conf.getNIn();
    this.nOut = conf.getNOut();
    this.weights = paramViews[0];
    this.bias = paramViews[1];
    if (initialize) {
      glorot(weights, nIn, nOut); // as PyG's GCNConv
      bias.assign(0);
      state().assign(0);
    }
  }

  /** {@code W [nIn, nOut]}, {@code b [1, nOut]}, {@code q [STATE_LENGTH]}, after checking the sizes. */
  private static long[][] layout(GcnVertex conf, String name) {
    checkSize(name, "nIn", conf.getNIn());
    checkSize(name, "nOut", conf.getNOut());
    checkProbability(name, "dropout", conf.getDropout());
    return new long[][] {{conf.getNIn(), conf.getNOut()}, {1, conf.getNOut()}, {STATE_LENGTH}};
  }

  public GcnVertex getVertexConf() {
    return conf;
  }

  // ------------------------------------------------------------------ forward


  @Override
  protected INDArray forward(boolean training) {
    INDArray x = inputs[0].castTo(dataType);
    int n = checkInputs(x, nIn);
    INDArray edges = inputs[GraphInputs.COUNT - 1];
    GraphStructure g = GraphStructure.isScoped(edges)
        ? GraphStructure.scoped(edges, n, featuresFromNetworkInput())
        : GraphStructure.of(edges, n);
    boolean[] protect = beginForward(n, training);
    Cache c = new Cache();
    c.graph = g;

    c.dropMask = dropoutMask(x, conf.getDropout(), training);
    INDArray xd = c.dropMask == null ? x : x.mul(c.dropMask);
    c.xq = quantize(GcnPoint.INPUT, xd, nIn, protect, training);
    c.wq = quantize(GcnPoint.WEIGHT, weights, nOut, null, training);

    int h = nOut;
    double[] z = NdArrays.toDouble(c.xq.mmul(c.wq));
    quantPoint(GcnPoint.XW).forward(z, h, protect, training);
    double[] norm = g.norm.clone();
    quantPoint(GcnPoint.NORM).forward(norm, 1, null, training);
    c.norm = norm;

    double[] agg = training ? aggregateKeepingMessages(z, norm, g, h, protect)
        : aggregateMessageByMessage(z, norm, g, h, n);
    addStandIns(agg, z, g, h);
    quantPoint(GcnPoint.AGGREGATE).forward(agg, h, protect, training);

    double[] b = NdArrays.toDouble(bias);
    for (int r = 0, i = 0; r < n; r++) {
      for (int k = 0; k < h; k++, i++) {
        agg[i] += b[k];
      }
    }
    quantPoint(GcnPoint.OUTPUT).forward(agg, h, protect, training);
    c.preActivation = agg;

    double[] y = agg;
    if (conf.isRelu()) {
      y = new double[agg.length];
      for (int i = 0; i < y.length; i++) {
        y[i] = agg[i] > 0 ? agg[i] : 0;
      }
    }
    if (training) {
      quantState().advance();
    }
    last = training ? c : null;
    return NdArrays.fromDouble(y, dataType, n, h);
  }


  /**
   * Training: {@code M[e] = norm[e] Z[src[e]]} held whole, since the message range is observed over
   * the whole tensor and backward needs its clip record; then {@code A[v]}, the sum of
   * {@code M[e]} over the edges into {@code v}. The message tensor is the vertex's largest
   * allocation by far, so running out of heap here names the graph instead of letting the
   * executor die (double messages, their float copy and clip record: about 12.1 bytes each).
   */
  private double[] aggregateKeepingMessages(double[] z, double[] norm, GraphStructure g, int h,
      boolean[] protect) {
    int m = g.numEdges;
    int[] src = g.src;
    int[] dst = g.dst;
    double[] msg;
    try {
      msg = new double[Math.multiplyExact(m, h)];
      for (int e = 0; e < m; e++) {
        int from = src[e] * h;
        int to = e * h;
        double ce = norm[e];
        for (int k = 0; k < h; k++) {
          msg[to + k] = ce * z[from + k];
        }
      }
      quantPoint(GcnPoint.MESSAGE).forward(msg, h, bySource(protect, src, m), true);
    } catch (OutOfMemoryError e) {
      long elements = (long) m * h;
      throw new GraphTooLargeException(vertexName, graphKey(), g.numNodes, m, h, elements * 12 + elements / 8, e);
    }
    double[] agg = new double[g.numNodes * h];
    for (int e = 0; e < m; e++) {
      int to = dst[e] * h;
      int from = e * h;
      for (int k = 0; k < h; k++) {
        agg[to + k] += msg[from + k];
      }
    }
    return agg;
  }

  /**
   * Evaluation: the same sums with each message fake-quantized as it is made, never stored, so the
   * evaluation forward of a whole graph needs {@code nodes x width} memory, not {@code edges x
   * width} (a 1M-node, 17M-edge graph at width 64: 8.7 GB of doubles). Same values in the same
   * order as {@link #aggregateKeepingMessages}, so the result is identical (NaN aside, which
   * {@link FakeQuantizer#fakeQuantize} maps to 0; {@code GcnVertexEvaluationTest}).
   */
  private double[] aggregateMessageByMessage(double[] z, double[] norm, GraphStructure g, int h, int n) {
    QuantParams p = quantPoint(GcnPoint.MESSAGE).evaluationParams();
    int m = g.numEdges;
    int[] src = g.src;
    int[] dst = g.dst;
    double[] agg = new double[n * h];
    for (int e = 0; e < m; e++) {
      int from = src[e] * h;
      int to = dst[e] * h;
      double ce = norm[e];
      for (int k = 0; k < h; k++) {
        double v = ce * z[from + k];
        agg[to + k] += p == null ? v : FakeQuantizer.fakeQuantize(p, (float) v);
      }
    }
    return agg;
  }

  /**
   * A stand-in row's aggregate: its own transformed features times its weight, unquantized, since
   * it stands for a sum of messages the part does not hold (design §7.6).
   */
  private static void addStandIns(double[] agg, double[] z, GraphStructure g, int h) {
    for (int j = 0; j < g.standIn.length; j++) {
      int at = g.standIn[j] * h;
      double w = g.standInWeight[j];
      for (int k = 0; k < h; k++) {
        agg[at + k] += w * z[at + k];
      }
    }
  }

  // ------------------------------------------------------------------ backward

  @Override
  protected INDArray backward(Cache c) {
    GraphStructure g = c.graph;
    int n = g.numNodes;
    int h = nOut;
    int m = g.numEdges;
    double[] gy = NdArrays.toDouble(epsilon);
    if (gy.length != n * h) {
      throw new IllegalArgumentException("vertex '" + vertexName + "' epsilon has " + gy.length
          + " elements, expected " + n + " x " + h);
    }
    if (conf.isRelu()) {
      double[] pre = c.preActivation;
      for (int i = 0; i < gy.length; i++) {
        if (!(pre[i] > 0)) {
          gy[i] = 0;
        }
      }
    }
    quantPoint(GcnPoint.OUTPUT).backward(gy);
    double[] gb = new double[h];
    for (int r = 0, i = 0; r < n; r++) {
      for (int k = 0; k < h; k++, i++) {
        gb[k] += gy[i];
      }
    }
    quantPoint(GcnPoint.AGGREGATE).backward(gy);

    // dL/dZ[v] = sum of norm[e] * dL/dM[e] over edges with src[e] = v, where dL/dM[e] is
    // dL/dA[dst[e]] through the message point's straight-through rule: read from the forward's clip
    // record instead of materialising dL/dM, edges x width doubles (design §7.1)
    int[] src = g.src;
    int[] dst = g.dst;
    long[] clipped = quantPoint(GcnPoint.MESSAGE).clipRecord(Math.multiplyExact(m, h));
    double[] norm = c.norm;
    double[] gz = new double[n * h];
    for (int e = 0; e < m; e++) {
      int to = src[e] * h;
      int from = dst[e] * h;
      int i = e * h;
      double ce = norm[e];
      for (int k = 0; k < h; k++) {
        if (clipped == null || !FakeQuantizer.isClipped(clipped, i + k)) {
          gz[to + k] += ce * gy[from + k];
        }
      }
    }
    for (int j = 0; j < g.standIn.length; j++) {
      int at = g.standIn[j] * h;
      double w = g.standInWeight[j];
      for (int k = 0; k < h; k++) {
        gz[at + k] += w * gy[at + k];
      }
    }
    quantPoint(GcnPoint.XW).backward(gz);
    INDArray gZ = NdArrays.fromDouble(gz, dataType, n, h);

    INDArray gW = c.xq.transpose().mmul(gZ);
    gradViews[0].assign(straightThrough(GcnPoint.WEIGHT, gW));
    gradViews[1].assign(NdArrays.fromDouble(gb, dataType, 1, h));
    if (featuresFromNetworkInput()) {
      writeStateGradient();
      return Nd4j.zeros(dataType, c.xq.shape()); // discarded by DL4J
    }
    INDArray gX = straightThrough(GcnPoint.INPUT, gZ.mmul(c.wq.transpose()));
    if (c.dropMask != null) {
      gX.muli(c.dropMask);
    }
    writeStateGradient();
    return gX;
  }

  // ------------------------------------------------------------------ DL4J plumbing



  @Override
  public String toString() {
    return "GcnVertexImpl(" + vertexName + ": " + conf + ")";
  }
}
