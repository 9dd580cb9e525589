package io.dqspark.gnn;

import java.util.Arrays;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runtime of {@link GatVertex}. The dense transform uses ND4J's {@code mmul}; attention scores,
 * the per-destination softmax, gather and scatter are flat loops over the edge list, as in {@link
 * GcnVertexImpl}, because logits and messages are fake-quantized between the sparse steps.
 *
 * <p>Forward, for {@code H} heads of width {@code F} and {@code E'} edges including one self-loop
 * per node; {@code Z[v, h]} is the {@code F}-column block of head {@code h}:
 * <pre>
 *   Xq = Q_in(dropout(X));  Wq = Q_w(W);  Z = Q_xw(Xq Wq)
 *   [aS; aD] = Q_att([aSrc; aDst])
 *   L[e, h] = Q_logit(Z[src, h] · aS[h] + Z[dst, h] · aD[h])
 *   alpha[e, h] = softmax over edges into dst of LeakyReLU_0.2(L[e, h]), then attention dropout
 *   M[e, h] = alpha[e, h] Z[src, h];  M = Q_msg(M);  A[v] = Q_agg(sum over dst[e] = v of M[e])
 *   O = A + b (concat) or mean over h of A[., h] + b
 *   Y = elu(Q_out(O)), Q_out(O), or Q_out(relu(O))
 * </pre>
 * The softmax subtracts each destination's largest score before exponentiating, so large logits
 * cannot overflow. Backward applies the chain rule in reverse with each quantizer's
 * straight-through rule. Intermediates live outside DL4J workspaces; only the returned activations
 * and epsilons go into the workspaces DL4J asks for.
 *
 * <p>State {@code q} ({@link QuantState}): a step counter that seeds DQ's protective mask, then
 * the range of each {@link GatPoint} in order.
 */
public final class GatVertexImpl extends QuantizedVertexImpl<GatVertexImpl.Cache, GatPoint> {
  public static final String WEIGHT_KEY = "W";
  public static final String ATT_SRC_KEY = "aSrc";
  public static final String ATT_DST_KEY = "aDst";
  public static final String BIAS_KEY = "b";
  public static final int STATE_LENGTH = QuantState.length(GatPoint.values().length);
  /** LeakyReLU slope for negative logits, as in the GAT paper. */
  static final double NEGATIVE_SLOPE = 0.2;

  private final GatVertex conf;
  private final GatVertex.Activation activation;
  private final boolean concat;
  private final int nIn;
  private final int heads;
  private final int f;
  /** Columns of Z: {@code heads * outPerHead}. */
  private final int width;
  private final int outWidth;
  private final INDArray weights;
  private final INDArray attSrc;
  private final INDArray attDst;
  private final INDArray bias;

  /** What backward needs from the last training forward. */
  static final class Cache {
    GraphStructure graph;
    INDArray dropMask;
    INDArray xq;
    INDArray wq;
    /** Q_xw(Xq Wq), {@code [N, H F]}. */
    double[] z;
    /** Q_att([aSrc; aDst]), {@code [2H, F]}. */
    double[] att;
    /** Quantized logits before the LeakyReLU, {@code [E', H]}. */
    double[] logit;
    /** Attention coefficients before attention dropout, {@code [E', H]}; each segment sums to 1. */
    double[] alpha;
    /** Attention dropout's multipliers (0 or 1/keep), null without attention dropout. */
    double[] attKeep;
    /** The coefficients the messages used (alpha after attention dropout). */
    double[] alphaUsed;
    /** RELU: O before the ReLU; NONE and ELU: Q_out(O), the activation's input. */
    double[] preActivation;
  }

  /** Trainable parameter count: W, aSrc, aDst and b. */
  static long trainableParams(int nIn, int outPerHead, int heads, boolean concat) {
    long width = (long) heads * outPerHead;
    return nIn * width + 2 * width + (concat ? width : outPerHead);
  }

  GatVertexImpl(ComputationGraph graph, String name, int index, GatVertex conf, INDArray paramsView,
      boolean initialize, DataType dataType) {
    super(graph, name, index, dataType, conf,
        new VertexTrainingConfig(name, conf.getUpdater(), conf.getL2(), WEIGHT_KEY, STATE_KEY), paramsView,
        new String[] {WEIGHT_KEY, ATT_SRC_KEY, ATT_DST_KEY, BIAS_KEY, STATE_KEY}, layout(conf, name),
        GatPoint.values(), p -> signed(conf, p));
    this.conf = conf;
    this.activation = conf.getActivation();
    this.concat = conf.isConcat();
    this.nIn = conf.getNIn();
    this.heads = conf.getHeads();
    this.f = conf.getOutPerHead();
    this.width = heads * f;
    this.outWidth = conf.outputWidth();
    this.weights = paramViews[0];
    this.attSrc = paramViews[1];
    this.attDst = paramViews[2];
    this.bias = paramViews[3];
    if (initialize) {
      glorot(weights, nIn, width);
      // each head's attention vector maps F values to one score
      glorot(attSrc, f, 1);
      glorot(attDst, f, 1);
      bias.assign(0);
      state().assign(0);
    }
  }

  /** {@code W, aSrc, aDst, b, q} in layout order, after checking the settings. */
  private static long[][] layout(GatVertex conf, String name) {
    checkSize(name, "nIn", conf.getNIn());
    checkSize(name, "outPerHead", conf.getOutPerHead());
    checkSize(name, "heads", conf.getHeads());
    checkProbability(name, "dropout", conf.getDropout());
    checkProbability(name, "attentionDropout", conf.getAttentionDropout());
    long h = conf.getHeads();
    long f = conf.getOutPerHead();
    if (h * f > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("vertex '" + name + "': heads * outPerHead = " + h * f
          + " is too large");
    }
    return new long[][] {{conf.getNIn(), h * f}, {h, f}, {h, f}, {1, conf.outputWidth()}, {STATE_LENGTH}};
  }

  private static boolean signed(GatVertex conf, GatPoint p) {
    switch (p) {
      case INPUT:
        return conf.isSignedInput();
      case OUTPUT:
        return conf.getActivation() != GatVertex.Activation.RELU;
      default:
        return true;
    }
  }

  public GatVertex getVertexConf() {
    return conf;
  }

  // ------------------------------------------------------------------ forward

  @Override
  protected INDArray forward(boolean training) {
    INDArray x = inputs[0].castTo(dataType);
    int n = checkInputs(x, nIn);
    GraphStructure g = GraphStructure.of(inputs[GraphInputs.COUNT - 1], n);
    boolean[] protect = beginForward(n, training);
    Cache c = new Cache();
    c.graph = g;

    c.dropMask = dropoutMask(x, conf.getDropout(), training);
    INDArray xd = c.dropMask == null ? x : x.mul(c.dropMask);
    c.xq = quantize(GatPoint.INPUT, xd, nIn, protect, training);
    c.wq = quantize(GatPoint.WEIGHT, weights, width, null, training);
    double[] z = NdArrays.toDouble(c.xq.mmul(c.wq));
    quantPoint(GatPoint.XW).forward(z, width, protect, training);
    c.z = z;

    double[] att = new double[2 * width];
    System.arraycopy(NdArrays.toDouble(attSrc), 0, att, 0, width);
    System.arraycopy(NdArrays.toDouble(attDst), 0, att, width, width);
    quantPoint(GatPoint.ATTENTION).forward(att, f, null, training);
    c.att = att;

    int m = g.numEdges;
    int[] src = g.src;
    int[] dst = g.dst;
    boolean[] edgeProtect = bySource(protect, src, m);
    c.logit = logits(z, att, n, src, dst);
    quantPoint(GatPoint.LOGIT).forward(c.logit, heads, edgeProtect, training);
    c.alpha = softmax(c.logit, dst, n);
    c.alphaUsed = c.alpha;
    if (training && conf.getAttentionDropout() > 0) {
      double keep = 1 - conf.getAttentionDropout();
      double[] r = NdArrays.toDouble(Nd4j.rand(dataType, m, heads));
      c.attKeep = new double[r.length];
      c.alphaUsed = new double[r.length];
      for (int i = 0; i < r.length; i++) {
        c.attKeep[i] = r[i] < keep ? 1 / keep : 0;
        c.alphaUsed[i] = c.alpha[i] * c.attKeep[i];
      }
    }

    // M[e, h] = alpha[e, h] Z[src[e], h]
    double[] alpha = c.alphaUsed;
    double[] msg = new double[m * width];
    for (int e = 0; e < m; e++) {
      int from = src[e] * width;
      int to = e * width;
      for (int h = 0; h < heads; h++) {
        double a = alpha[e * heads + h];
        for (int k = h * f, end = k + f; k < end; k++) {
          msg[to + k] = a * z[from + k];
        }
      }
    }
    quantPoint(GatPoint.MESSAGE).forward(msg, width, edgeProtect, training);

    // A[v] = sum of M[e] over edges with dst[e] = v
    double[] agg = new double[n * width];
    for (int e = 0; e < m; e++) {
      int to = dst[e] * width;
      int from = e * width;
      for (int k = 0; k < width; k++) {
        agg[to + k] += msg[from + k];
      }
    }
    quantPoint(GatPoint.AGGREGATE).forward(agg, width, protect, training);

    double[] o = mergeHeads(agg, n);
    double[] y;
    if (activation == GatVertex.Activation.RELU) {
      c.preActivation = o;
      y = new double[o.length];
      for (int i = 0; i < y.length; i++) {
        y[i] = o[i] > 0 ? o[i] : 0;
      }
      quantPoint(GatPoint.OUTPUT).forward(y, outWidth, protect, training);
    } else {
      quantPoint(GatPoint.OUTPUT).forward(o, outWidth, protect, training);
      c.preActivation = o;
      y = o;
      if (activation == GatVertex.Activation.ELU) {
        y = new double[o.length];
        for (int i = 0; i < y.length; i++) {
          y[i] = o[i] > 0 ? o[i] : Math.expm1(o[i]);
        }
      }
    }
    if (training) {
      quantState().advance();
    }
    last = training ? c : null;
    return NdArrays.fromDouble(y, dataType, n, outWidth);
  }

  /** {@code Z[src, h] · aS[h] + Z[dst, h] · aD[h]} per edge and head, {@code [E', H]}. */
  private double[] logits(double[] z, double[] att, int n, int[] src, int[] dst) {
    double[] sSrc = new double[n * heads];
    double[] sDst = new double[n * heads];
    for (int v = 0; v < n; v++) {
      int row = v * width;
      for (int h = 0; h < heads; h++) {
        double s = 0;
        double d = 0;
        for (int k = h * f, end = k + f; k < end; k++) {
          s += z[row + k] * att[k];
          d += z[row + k] * att[width + k];
        }
        sSrc[v * heads + h] = s;
        sDst[v * heads + h] = d;
      }
    }
    int m = src.length;
    double[] logit = new double[m * heads];
    for (int e = 0; e < m; e++) {
      for (int h = 0; h < heads; h++) {
        logit[e * heads + h] = sSrc[src[e] * heads + h] + sDst[dst[e] * heads + h];
      }
    }
    return logit;
  }

  /**
   * Softmax of {@code LeakyReLU(logit)} over the edges into each destination, per head. Every
   * node has its self-loop, so no segment is empty and every denominator is at least 1.
   */
  private double[] softmax(double[] logit, int[] dst, int n) {
    int m = dst.length;
    double[] max = new double[n * heads];
    Arrays.fill(max, Double.NEGATIVE_INFINITY);
    double[] alpha = new double[m * heads];
    for (int e = 0, i = 0; e < m; e++) {
      int seg = dst[e] * heads;
      for (int h = 0; h < heads; h++, i++) {
        double l = logit[i];
        alpha[i] = l > 0 ? l : NEGATIVE_SLOPE * l;
        max[seg + h] = Math.max(max[seg + h], alpha[i]);
      }
    }
    double[] sum = new double[n * heads];
    for (int e = 0, i = 0; e < m; e++) {
      int seg = dst[e] * heads;
      for (int h = 0; h < heads; h++, i++) {
        alpha[i] = Math.exp(alpha[i] - max[seg + h]);
        sum[seg + h] += alpha[i];
      }
    }
    for (int e = 0, i = 0; e < m; e++) {
      int seg = dst[e] * heads;
      for (int h = 0; h < heads; h++, i++) {
        alpha[i] /= sum[seg + h];
      }
    }
    return alpha;
  }

  /** Heads side by side or averaged, plus the bias: {@code [N, outWidth]}. */
  private double[] mergeHeads(double[] agg, int n) {
    double[] b = NdArrays.toDouble(bias);
    if (concat) {
      double[] o = agg.clone();
      for (int i = 0; i < o.length; i += width) {
        for (int k = 0; k < width; k++) {
          o[i + k] += b[k];
        }
      }
      return o;
    }
    double[] o = new double[n * f];
    double scale = 1.0 / heads;
    for (int v = 0; v < n; v++) {
      for (int k = 0; k < f; k++) {
        double s = 0;
        for (int h = 0; h < heads; h++) {
          s += agg[v * width + h * f + k];
        }
        o[v * f + k] = s * scale + b[k];
      }
    }
    return o;
  }

  // ------------------------------------------------------------------ backward

  @Override
  protected INDArray backward(Cache c) {
    GraphStructure g = c.graph;
    int n = g.numNodes;
    int m = g.numEdges;
    int[] src = g.src;
    int[] dst = g.dst;
    double[] gy = NdArrays.toDouble(epsilon);
    if (gy.length != n * outWidth) {
      throw new IllegalArgumentException("vertex '" + vertexName + "' epsilon has " + gy.length
          + " elements, expected " + n + " x " + outWidth);
    }
    double[] pre = c.preActivation;
    if (activation == GatVertex.Activation.RELU) {
      quantPoint(GatPoint.OUTPUT).backward(gy);
      for (int i = 0; i < gy.length; i++) {
        if (!(pre[i] > 0)) {
          gy[i] = 0;
        }
      }
    } else {
      if (activation == GatVertex.Activation.ELU) {
        for (int i = 0; i < gy.length; i++) {
          if (!(pre[i] > 0)) {
            gy[i] *= Math.exp(pre[i]);
          }
        }
      }
      quantPoint(GatPoint.OUTPUT).backward(gy);
    }
    double[] gb = new double[outWidth];
    for (int i = 0; i < gy.length; i += outWidth) {
      for (int k = 0; k < outWidth; k++) {
        gb[k] += gy[i + k];
      }
    }
    double[] ga = splitHeads(gy, n);
    quantPoint(GatPoint.AGGREGATE).backward(ga);

    // dL/dM[e] = dL/dA[dst[e]]
    double[] gm = new double[m * width];
    for (int e = 0; e < m; e++) {
      System.arraycopy(ga, dst[e] * width, gm, e * width, width);
    }
    quantPoint(GatPoint.MESSAGE).backward(gm);

    // M[e, h] = alpha[e, h] Z[src, h]: into dL/dalpha and dL/dZ
    double[] z = c.z;
    double[] alphaUsed = c.alphaUsed;
    double[] gz = new double[n * width];
    double[] gAlpha = new double[m * heads];
    for (int e = 0; e < m; e++) {
      int row = src[e] * width;
      int from = e * width;
      for (int h = 0; h < heads; h++) {
        double a = alphaUsed[e * heads + h];
        double dot = 0;
        for (int k = h * f, end = k + f; k < end; k++) {
          dot += gm[from + k] * z[row + k];
          gz[row + k] += a * gm[from + k];
        }
        gAlpha[e * heads + h] = dot;
      }
    }
    if (c.attKeep != null) {
      for (int i = 0; i < gAlpha.length; i++) {
        gAlpha[i] *= c.attKeep[i];
      }
    }
    double[] gl = softmaxBackward(c.alpha, gAlpha, c.logit, dst, n);
    quantPoint(GatPoint.LOGIT).backward(gl);

    // L[e, h] = sSrc[src, h] + sDst[dst, h]
    double[] gsSrc = new double[n * heads];
    double[] gsDst = new double[n * heads];
    for (int e = 0, i = 0; e < m; e++) {
      for (int h = 0; h < heads; h++, i++) {
        gsSrc[src[e] * heads + h] += gl[i];
        gsDst[dst[e] * heads + h] += gl[i];
      }
    }
    // sSrc[v, h] = Z[v, h] · aS[h], sDst likewise: into dL/dZ and dL/d[aS; aD]
    double[] att = c.att;
    double[] gAtt = new double[2 * width];
    for (int v = 0; v < n; v++) {
      int row = v * width;
      for (int h = 0; h < heads; h++) {
        double s = gsSrc[v * heads + h];
        double d = gsDst[v * heads + h];
        for (int k = h * f, end = k + f; k < end; k++) {
          gAtt[k] += s * z[row + k];
          gAtt[width + k] += d * z[row + k];
          gz[row + k] += s * att[k] + d * att[width + k];
        }
      }
    }
    quantPoint(GatPoint.ATTENTION).backward(gAtt);
    quantPoint(GatPoint.XW).backward(gz);
    INDArray gZ = NdArrays.fromDouble(gz, dataType, n, width);

    INDArray gW = c.xq.transpose().mmul(gZ);
    gradViews[0].assign(straightThrough(GatPoint.WEIGHT, gW));
    double[] gaSrc = new double[width];
    double[] gaDst = new double[width];
    System.arraycopy(gAtt, 0, gaSrc, 0, width);
    System.arraycopy(gAtt, width, gaDst, 0, width);
    gradViews[1].assign(NdArrays.fromDouble(gaSrc, dataType, heads, f));
    gradViews[2].assign(NdArrays.fromDouble(gaDst, dataType, heads, f));
    gradViews[3].assign(NdArrays.fromDouble(gb, dataType, 1, outWidth));
    if (featuresFromNetworkInput()) {
      writeStateGradient();
      return Nd4j.zeros(dataType, c.xq.shape()); // discarded by DL4J
    }
    INDArray gX = straightThrough(GatPoint.INPUT, gZ.mmul(c.wq.transpose()));
    if (c.dropMask != null) {
      gX.muli(c.dropMask);
    }
    writeStateGradient();
    return gX;
  }

  /** dL/dA {@code [N, H F]} from dL/dO: a copy (concat), or a share of 1/H for every head (mean). */
  private double[] splitHeads(double[] go, int n) {
    if (concat) {
      return go;
    }
    double[] ga = new double[n * width];
    double scale = 1.0 / heads;
    for (int v = 0; v < n; v++) {
      for (int h = 0; h < heads; h++) {
        for (int k = 0; k < f; k++) {
          ga[v * width + h * f + k] = go[v * f + k] * scale;
        }
      }
    }
    return ga;
  }

  /**
   * dL/dL from dL/dalpha: per destination segment {@code alpha (g - sum of alpha g over the
   * segment)}, then the LeakyReLU's slope at the quantized logit.
   */
  private double[] softmaxBackward(double[] alpha, double[] gAlpha, double[] logit, int[] dst, int n) {
    int m = dst.length;
    double[] dot = new double[n * heads];
    for (int e = 0, i = 0; e < m; e++) {
      int seg = dst[e] * heads;
      for (int h = 0; h < heads; h++, i++) {
        dot[seg + h] += alpha[i] * gAlpha[i];
      }
    }
    double[] gl = new double[m * heads];
    for (int e = 0, i = 0; e < m; e++) {
      int seg = dst[e] * heads;
      for (int h = 0; h < heads; h++, i++) {
        double slope = logit[i] > 0 ? 1 : NEGATIVE_SLOPE;
        gl[i] = alpha[i] * (gAlpha[i] - dot[seg + h]) * slope;
      }
    }
    return gl;
  }

  @Override
  public String toString() {
    return "GatVertexImpl(" + vertexName + ": " + conf + ")";
  }
}
