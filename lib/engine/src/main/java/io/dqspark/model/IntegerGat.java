package io.dqspark.model;

import io.dqspark.engine.CsrAdjacency;
import io.dqspark.engine.FloatRequant;
import io.dqspark.engine.FusedInt8Kernels;
import io.dqspark.engine.GatInt8Pass;
import io.dqspark.engine.GatKernels;
import io.dqspark.engine.Int8DenseWeights;
import io.dqspark.engine.Int8Kernels;
import io.dqspark.engine.Kernels;
import io.dqspark.engine.Requantizer;
import io.dqspark.quant.FakeQuantizer;
import io.dqspark.quant.QuantParams;
import io.dqspark.util.DqInputException;

/**
 * Scores a {@link GatModel} with integer codes between layers, in one of two
 * arithmetics (design §5.6).
 *
 * <p>{@link Arithmetic#EXACT} goes through the quantization points of the training layer's
 * evaluation forward ({@link GatLayer} gives the pipeline) with integer arithmetic only. The
 * softmax over each node's in-edges is integer too: LeakyReLU of an int8 logit is exact in fifths,
 * so its exponential is a table lookup, and the normalised weight of an edge becomes a per-edge
 * fixed-point multiplier of its message, which is rounded on its own as training quantizes it.
 *
 * <p>{@link Arithmetic#FAST} keeps every quantization point, messages included, but computes in
 * float lanes where the exact mode uses 64-bit fixed point, and fuses each layer's attention into
 * one pass per target ({@link GatKernels#int8Layer}): each node's source and destination
 * attention scores are computed once and pre-scaled to logit codes, an edge's logit code is their
 * sum rounded, its softmax numerator a float table of the code (no per-target maximum: the codes
 * are bounded), each message {@code alpha (z - z_xw) s_xw / s_msg} is rounded by one fused
 * multiply-add and summed exactly in int32, and the aggregate, head merge, bias and output are
 * requantized in float lanes in the same pass. (Dropping the rounding of each message, as GCN's
 * fast arithmetic does, agreed with the fake-quant network on only 98.9% of Cora: design §5.6.)
 * A layer whose message multiplier exceeds {@link GatInt8Pass#MAX_MESSAGE_MULTIPLIER} runs exact.
 *
 * <p>Between layers, the previous layer's activation (ELU, ReLU or none) and this layer's input
 * quantizer collapse into a 256-entry code table. Floating point is otherwise left in quantizing
 * the input features and in building the tables once per model (and, in the fast arithmetic, in
 * the float-lane requantizations and softmax numerators). Graphs are {@link GcnGraph}s, whose edge
 * rule (input self-loops dropped, one per node added) is GAT's too; their normalisation is not
 * used. Codes follow the engine's convention (unsigned sites shifted by -128). Built once per
 * model; {@link #run} is thread-safe.
 */
public final class IntegerGat implements IntegerScorer {
  private final GatModel model;
  private final Int8Kernels kernels;
  private final Int8DenseWeights[] dense;
  private final Requantizer[] xw;
  private final Requantizer[] logit;
  private final Requantizer[] aggregate;
  private final Requantizer[] output;
  /** {@code inputTable[li][prevCode + 128]}: layer {@code li}'s input code of a previous output code. */
  private final byte[][] inputTable;
  private final Arithmetic arithmetic;
  private final FusedInt8Kernels fused;
  private final GatKernels gat;
  /** FAST: XW requantization in float lanes. */
  private final FloatRequant[] fastXw;
  /** FAST: the two attention vectors as a block-diagonal {@code [H F, 2 H]} product (source heads, then destination heads). */
  private final Int8DenseWeights[] scores;
  /** FAST: the logit requantization whose multiplier and zero point pre-scale the scores. */
  private final FloatRequant[] fastLogit;
  private final GatInt8Pass[] passes;

  public IntegerGat(GatModel model) {
    this(model, Kernels.int8());
  }

  public IntegerGat(GatModel model, Int8Kernels kernels) {
    this(model, kernels, Arithmetic.defaultFor(model), FusedInt8Kernels.selected(), GatKernels.selected());
  }

  public IntegerGat(GatModel model, Arithmetic arithmetic) {
    this(model, Kernels.int8(), arithmetic, FusedInt8Kernels.selected(), GatKernels.selected());
  }

  public IntegerGat(GatModel model, Int8Kernels kernels, Arithmetic arithmetic,
      FusedInt8Kernels fused, GatKernels gat) {
    this.model = model;
    this.kernels = kernels;
    this.arithmetic = arithmetic;
    this.fused = fused;
    this.gat = gat;
    int n = model.layers().size();
    dense = new Int8DenseWeights[n];
    xw = new Requantizer[n];
    logit = new Requantizer[n];
    aggregate = new Requantizer[n];
    output = new Requantizer[n];
    inputTable = new byte[n][];
    for (int i = 0; i < n; i++) {
      GatLayer l = model.layers().get(i);
      dense[i] = Int8DenseWeights.pack(l.weightsView(), l.nIn(), l.width(),
          l.params(GatSite.WEIGHT).zeroPoint(), null, IntegerGcn.zero(l.params(GatSite.INPUT)));
      xw[i] = IntegerGcn.requantizer(l.xwMultiplier(), l.params(GatSite.XW), false);
      logit[i] = IntegerGcn.requantizer(l.logitMultiplier(), l.params(GatSite.LOGIT), false);
      aggregate[i] = IntegerGcn.requantizer(l.aggregateMultiplier(), l.params(GatSite.AGGREGATE), false);
      output[i] = IntegerGcn.requantizer(l.outputMultiplier(), l.params(GatSite.OUTPUT),
          l.activation() == GatLayer.Activation.RELU);
      if (i > 0) {
        inputTable[i] = inputTable(model.layers().get(i - 1), l.params(GatSite.INPUT));
      }
    }
    fastXw = new FloatRequant[n];
    scores = new Int8DenseWeights[n];
    fastLogit = new FloatRequant[n];
    passes = new GatInt8Pass[n];
    for (int i = 0; i < n; i++) {
      GatLayer l = model.layers().get(i);
      fastXw[i] = FloatRequant.of(xw[i]);
      scores[i] = scoreWeights(l);
      fastLogit[i] = FloatRequant.of(logit[i]);
      QuantParams lp = l.params(GatSite.LOGIT);
      QuantParams pm = l.params(GatSite.MESSAGE);
      float message = (float) l.messageMultiplier().value();
      // a message multiplier beyond the float rounding's range: this layer runs exact
      passes[i] = message > GatInt8Pass.MAX_MESSAGE_MULTIPLIER ? null
          : new GatInt8Pass(l.heads(), l.outPerHead(), l.concat(), l.params(GatSite.XW).zeroPoint(),
              lp.qmin(), lp.qmax(), softmaxWeights(lp), message, pm.qmin() - pm.zeroPoint(),
              pm.qmax() - pm.zeroPoint(), FloatRequant.of(aggregate[i]), l.biasShift(), l.biasView(),
              FloatRequant.of(output[i]));
    }
  }

  /**
   * The fast arithmetic's softmax numerators, one per logit code {@code c}: {@code exp(s
   * (LeakyReLU(c - z) - LeakyReLU(qmax - z)))} with LeakyReLU in fifths as the exact table has it,
   * in double with {@code StrictMath} (the same on every JVM), as floats; the top code gets 1, and
   * codes more than 44 nats below it are floored at {@link GatInt8Pass#MIN_WEIGHT}.
   */
  static float[] softmaxWeights(QuantParams logit) {
    float[] w = new float[logit.qmax() - logit.qmin() + 1];
    double top = leaky(logit.qmax() - logit.zeroPoint());
    for (int c = logit.qmin(); c <= logit.qmax(); c++) {
      double x = StrictMath.exp(logit.scale() * (leaky(c - logit.zeroPoint()) - top));
      w[c - logit.qmin()] = Math.max(GatInt8Pass.MIN_WEIGHT, (float) x);
    }
    return w;
  }

  private static double leaky(int d) {
    return d > 0 ? d : d / 5.0;
  }

  /**
   * Natural-log span of the LOGIT site's LeakyReLU values, {@code s (qmax - z) + s (z - qmin) / 5}:
   * the fast arithmetic's softmax table floors weights beyond 44 nats (design §5.6).
   */
  static double logitSpan(GatLayer l) {
    QuantParams p = l.params(GatSite.LOGIT);
    return p.scale() * (leaky(p.qmax() - p.zeroPoint()) - leaky(p.qmin() - p.zeroPoint()));
  }

  /**
   * {@code [H F, 2 H]}: column {@code h} holds head {@code h}'s source attention vector in its rows
   * {@code hF .. hF + F - 1}, column {@code H + h} its destination vector, every other entry the
   * attention zero point (a zero after centring); so a dense product of XW's codes gives every
   * node's integer scores {@code S, D} exactly.
   */
  private static Int8DenseWeights scoreWeights(GatLayer l) {
    int heads = l.heads();
    int f = l.outPerHead();
    int width = l.width();
    int za = l.params(GatSite.ATTENTION).zeroPoint();
    byte[] att = l.attentionView();
    byte[] w = new byte[width * 2 * heads];
    java.util.Arrays.fill(w, (byte) za);
    for (int k = 0; k < width; k++) {
      int h = k / f;
      w[k * 2 * heads + h] = att[k];
      w[k * 2 * heads + heads + h] = att[width + k];
    }
    return Int8DenseWeights.pack(w, width, 2 * heads, za, null, l.params(GatSite.XW).zeroPoint());
  }

  @Override
  public Arithmetic arithmetic() {
    return arithmetic;
  }

  @Override
  public String describe() {
    String exactLayers = "";
    for (int i = 0; i < passes.length; i++) {
      if (arithmetic == Arithmetic.FAST && passes[i] == null) {
        exactLayers += (exactLayers.isEmpty() ? " (exact layers:" : "") + " " + i;
      }
    }
    return arithmetic.label() + " arithmetic" + (exactLayers.isEmpty() ? "" : exactLayers + ")") + ", "
        + (arithmetic == Arithmetic.FAST ? gat.name() + " GAT kernels, " + fused.name()
        + " fused dense, " : "") + kernels.name() + " kernels";
  }

  /**
   * For every engine code of {@code prev}'s output: dequantize, apply its activation as training
   * does (ELU in double, the result stored as float), quantize with {@code in}.
   */
  static byte[] inputTable(GatLayer prev, QuantParams in) {
    QuantParams out = prev.params(GatSite.OUTPUT);
    int offOut = IntegerGcn.offset(out);
    int offIn = IntegerGcn.offset(in);
    byte[] table = new byte[256];
    for (int c = out.qmin(); c <= out.qmax(); c++) {
      float y = FakeQuantizer.dequantize(out, c);
      if (prev.activation() == GatLayer.Activation.ELU && y <= 0) {
        y = (float) StrictMath.expm1(y);
      }
      table[c - offOut + 128] = (byte) (FakeQuantizer.quantize(in, y) - offIn);
    }
    return table;
  }

  /** @param features row-major {@code [graph.nodes(), inputWidth]} float features */
  public IntegerGcn.Result run(float[] features, GcnGraph graph) {
    byte[] x = inputCodes(features, graph.nodes());
    for (int li = 0; li < model.layers().size(); li++) {
      x = layer(li, x, graph);
    }
    return result(x, graph.nodes());
  }

  /** The first layer's input codes of {@code [nodes, inputWidth]} float features (per node). */
  public byte[] inputCodes(float[] features, int nodes) {
    GatLayer first = model.layers().get(0);
    if (features == null || features.length != (long) nodes * first.nIn()) {
      throw new DqInputException("features must be [" + nodes + ", " + first.nIn() + "] = "
          + (long) nodes * first.nIn() + " values, got " + (features == null ? "null" : features.length));
    }
    return IntegerGcn.codes(FusedInt8Kernels.selected(), first.params(GatSite.INPUT), features);
  }

  /**
   * One layer: {@code x} is {@link #inputCodes} for layer 0, else the previous layer's output
   * codes; returns this layer's output codes {@code [graph.nodes(), nOut]}. A node's output
   * depends only on its own row of {@code x} and its in-neighbours' rows, so a caller can run the
   * model layer by layer over parts of a graph.
   */
  public byte[] layer(int li, byte[] x, GcnGraph graph) {
    int nodes = graph.nodes();
    GatLayer l = model.layers().get(li);
    if (x == null || x.length != (long) nodes * l.nIn()) {
      throw new DqInputException("layer " + li + " input must be [" + nodes + ", " + l.nIn()
          + "] codes, got " + (x == null ? "null" : x.length));
    }
    if (arithmetic == Arithmetic.FAST && passes[li] != null) {
      return fastLayer(li, x, graph, l);
    }
    if (li > 0) {
      byte[] table = inputTable[li];
      byte[] mapped = new byte[x.length];
      for (int i = 0; i < x.length; i++) {
        mapped[i] = table[x[i] + 128];
      }
      x = mapped;
    }
    int width = l.width();
    byte[] z = new byte[nodes * width];
    kernels.denseRequantize(x, nodes, dense[li], xw[li], z);
    int[] sums = attend(l, li, z, graph.nodeSources());
    byte[] agg = new byte[nodes * width];
    kernels.requantize(sums, 0, agg, 0, sums.length, aggregate[li]);
    int[] acc = mergeHeads(l, agg, nodes);
    byte[] out = new byte[acc.length];
    kernels.requantize(acc, 0, out, 0, acc.length, output[li]);
    return out;
  }

  /**
   * The fast arithmetic (design §5.6): XW in float lanes, every node's attention scores as one
   * exact int32 product, pre-scaled to logit codes ({@code S m_logit} and {@code D m_logit +
   * z_logit}), then the fused pass per target.
   */
  private byte[] fastLayer(int li, byte[] x, GcnGraph graph, GatLayer l) {
    int nodes = graph.nodes();
    int heads = l.heads();
    if (li > 0) {
      x = IntegerGcn.lookUp(x, inputTable[li]);
    }
    byte[] z = new byte[nodes * l.width()];
    fused.denseRequantize(x, nodes, dense[li], fastXw[li], null, z);
    int[] sd = new int[nodes * 2 * heads];
    kernels.dense(z, nodes, scores[li], sd);
    float m = fastLogit[li].multiplier();
    float zl = fastLogit[li].zeroPoint();
    float[] sf = new float[nodes * heads];
    float[] df = new float[nodes * heads];
    for (int v = 0; v < nodes; v++) {
      for (int h = 0; h < heads; h++) {
        sf[v * heads + h] = sd[v * 2 * heads + h] * m;
        df[v * heads + h] = sd[v * 2 * heads + heads + h] * m + zl;
      }
    }
    byte[] out = new byte[nodes * l.nOut()];
    gat.int8Layer(passes[li], graph.nodeSources(), z, sf, df, out);
    return out;
  }

  /**
   * For every target and head: integer logits of its in-edges, their softmax weights from the
   * table, and the sum of the weighted messages, each message quantized on its own as training
   * does. Returns {@code sum (msg - z_msg)} per target and column.
   */
  private int[] attend(GatLayer l, int li, byte[] z, CsrAdjacency in) {
    int nodes = in.targets();
    int heads = l.heads();
    int f = l.outPerHead();
    int width = l.width();
    int zz = l.params(GatSite.XW).zeroPoint();
    int[] scoreSrc = new int[nodes * heads];
    int[] scoreDst = new int[nodes * heads];
    byte[] att = l.attentionView();
    int za = l.params(GatSite.ATTENTION).zeroPoint();
    for (int v = 0; v < nodes; v++) {
      int row = v * width;
      for (int h = 0; h < heads; h++) {
        int s = 0;
        int d = 0;
        for (int k = h * f, end = k + f; k < end; k++) {
          int zv = z[row + k] - zz;
          s += zv * (att[k] - za);
          d += zv * (att[width + k] - za);
        }
        scoreSrc[v * heads + h] = s;
        scoreDst[v * heads + h] = d;
      }
    }
    int zl = l.params(GatSite.LOGIT).zeroPoint();
    int[] table = l.softmaxTableView();
    Requantizer logitRq = logit[li];
    long m0 = l.messageMultiplier().multiplier();
    // msg - z_msg = clamp(round((z - z_xw) c_e / 2^shift)) with c_e = alpha_e m0 2^15
    int shift = 31 + l.messageMultiplier().shift() + 15;
    boolean vanishing = shift > 62; // |(z - z_xw) c_e| < 2^54: every message rounds to z_msg
    long half = vanishing ? 0 : 1L << (shift - 1);
    QuantParams pm = l.params(GatSite.MESSAGE);
    int lo = pm.qmin() - pm.zeroPoint();
    int hi = pm.qmax() - pm.zeroPoint();
    int[] rowPtr = in.rowPtr();
    int[] sources = in.colIdx();
    int maxDegree = 0;
    for (int v = 0; v < nodes; v++) {
      maxDegree = Math.max(maxDegree, rowPtr[v + 1] - rowPtr[v]);
    }
    int[] l5 = new int[maxDegree * heads];
    long[] coeff = new long[maxDegree * heads];
    int[] max = new int[heads];
    long[] den = new long[heads];
    int[] sums = new int[nodes * width];
    if (vanishing) {
      return sums;
    }
    for (int v = 0; v < nodes; v++) {
      int begin = rowPtr[v];
      int degree = rowPtr[v + 1] - begin;
      java.util.Arrays.fill(max, Integer.MIN_VALUE);
      java.util.Arrays.fill(den, 0);
      for (int e = 0, i = 0; e < degree; e++) {
        int src = sources[begin + e] * heads;
        for (int h = 0; h < heads; h++, i++) {
          int d = logitRq.apply(scoreSrc[src + h] + scoreDst[v * heads + h]) - zl;
          l5[i] = d > 0 ? 5 * d : d;
          max[h] = Math.max(max[h], l5[i]);
        }
      }
      for (int e = 0, i = 0; e < degree; e++) {
        for (int h = 0; h < heads; h++, i++) {
          coeff[i] = table[max[h] - l5[i]];
          den[h] += coeff[i];
        }
      }
      // one division per target and head: r = m0 2^31 / den, then c_e = num_e r / 2^16
      for (int h = 0; h < heads; h++) {
        den[h] = ((m0 << 31) + den[h] / 2) / den[h];
      }
      for (int e = 0, i = 0; e < degree; e++) {
        for (int h = 0; h < heads; h++, i++) {
          coeff[i] = (coeff[i] * den[h] + (1L << 15)) >> 16;
        }
      }
      // every in-edge's source row once, all heads across it
      int out = v * width;
      for (int e = 0; e < degree; e++) {
        int from = sources[begin + e] * width;
        for (int h = 0; h < heads; h++) {
          long c = coeff[e * heads + h];
          for (int k = h * f, end = k + f; k < end; k++) {
            long p = (z[from + k] - zz) * c;
            long msg = (p + half + (p >> 63)) >> shift; // nearest, ties away from zero
            sums[out + k] += (int) Math.max(lo, Math.min(hi, msg));
          }
        }
      }
    }
    return sums;
  }

  /** {@code ((sum over merged heads of (agg - z_agg)) << biasShift) + bias} per node and output column. */
  private static int[] mergeHeads(GatLayer l, byte[] agg, int nodes) {
    int width = l.width();
    int nOut = l.nOut();
    int merged = l.merged();
    int za = l.params(GatSite.AGGREGATE).zeroPoint();
    int shift = l.biasShift();
    int[] bias = l.biasView();
    int[] acc = new int[nodes * nOut];
    for (int v = 0; v < nodes; v++) {
      for (int j = 0; j < nOut; j++) {
        int s = 0;
        for (int h = 0; h < merged; h++) {
          s += agg[v * width + h * nOut + j] - za;
        }
        acc[v * nOut + j] = (s << shift) + bias[j];
      }
    }
    return acc;
  }

  /** The last layer's output codes of {@code nodes} nodes as a result. */
  public IntegerGcn.Result result(byte[] codes, int nodes) {
    GatLayer last = model.layers().get(model.layers().size() - 1);
    return IntegerGcn.Result.of(codes, nodes, last.nOut(), last.params(GatSite.OUTPUT));
  }

  @Override
  public GatModel model() { return model; }

  @Override
  public ClassScores score(float[] features, int nodes, int[] src, int[] dst) {
    return run(features, GcnGraph.of(nodes, src, dst));
  }

  @Override public int layerCount() { return model.layers().size(); }
  @Override public int layerInputWidth(int li) { return model.layers().get(li).nIn(); }
  @Override public int layerOutputWidth(int li) { return model.layers().get(li).nOut(); }
  @Override public byte[] firstLayerInput(float[] features, int nodes) { return inputCodes(features, nodes); }
  @Override public boolean firstLayerReadsFeatures() { return false; }

  /**
   * {@link #layer(int, byte[], GcnGraph)} over the graph's GCN form: GAT's layers read their
   * in-neighbours' rows only, like GCN's; the degrees and the features go unused.
   */
  @Override
  public byte[] layer(int li, byte[] x, float[] features, LayerGraph graph) {
    return layer(li, x, graph.gcnGraph());
  }

  /** {@link #result} of the first {@code rows} rows of {@code last}. */
  @Override
  public IntegerGcn.Result nodeScores(byte[] last, int rows) {
    GatLayer l = model.layers().get(model.layers().size() - 1);
    return IntegerGcn.Result.ofFirstRows(last, rows, l.nOut(), l.params(GatSite.OUTPUT));
  }
}
