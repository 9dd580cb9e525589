package io.dqspark.model;

import io.dqspark.engine.FloatRequant;
import io.dqspark.engine.FusedInt8Kernels;
import io.dqspark.engine.Int8DenseWeights;
import io.dqspark.engine.Int8Kernels;
import io.dqspark.engine.Kernels;
import io.dqspark.engine.Requantizer;
import io.dqspark.quant.FixedPointMultiplier;
import io.dqspark.quant.QuantParams;
import java.util.List;

/**
 * Scores a {@link GinModel} (node or graph task) with integer arithmetic through the
 * same quantization points as the training layers' evaluation forward (the default {@link
 * Arithmetic#FAST} requantizes in float lanes and fuses each layer's passes, design §5.6): int8 x int8 -> int32 dense
 * products, int32 sums over CSR, fixed-point requantization, all on {@link Int8Kernels}. Floating
 * point is left only where the float features enter (quantized to message codes and to the first
 * layer's self term) and in the softmax of {@link Result#probabilities}; argmax runs on the int32
 * logits. See {@link GinLayer} for a layer's pipeline and {@link GraphReadout} for pooling.
 *
 * <p>Tensors use the engine's convention: an unsigned site's codes {@code q} travel as {@code
 * q - 128} with zero point {@code z - 128}. Built once per model; {@link #run} is thread-safe.
 */
public final class IntegerGin implements IntegerScorer {
  private final GinModel model;
  private final Int8Kernels kernels;
  private final LayerPlan[] layers;
  private final DensePlan[] dense;
  private final Int8DenseWeights head;
  private final double logitScale;
  private final Arithmetic arithmetic;
  private final FusedInt8Kernels fused;

  /** A GIN layer's packed weights and requantizers. */
  private static final class LayerPlan {
    GinLayer layer;
    Requantizer message;
    Requantizer aggregate;
    Requantizer lin1Input;
    Requantizer lin1;
    Requantizer lin2Input;
    Requantizer lin2;
    Int8DenseWeights w1;
    Int8DenseWeights w2;
    /** Layer 0: {@code (1 + eps) 2^k / s_agg}, applied to the float features. */
    double firstSelfFactor;
    double firstSelfBound;
    /** Later layers: {@code sign(1 + eps)} (0: no self term) and {@code |1 + eps| s_x 2^k / s_agg}. */
    int selfSign;
    FixedPointMultiplier self;
    /** FAST (design §5.6): float requantizers, code tables and the self term per code. */
    FloatRequant fastAggregate;
    FloatRequant fastLin1Input;
    FloatRequant fastLin1;
    FloatRequant fastLin2;
    byte[] messageTable;
    byte[] lin2InputTable;
    float[] selfTable;
    float firstSelf;
  }

  private static final class DensePlan {
    DenseLayer layer;
    Requantizer input;
    Requantizer dense;
    Int8DenseWeights weights;
  }

  public IntegerGin(GinModel model) {
    this(model, Kernels.int8());
  }

  public IntegerGin(GinModel model, Int8Kernels kernels) {
    this(model, kernels, Arithmetic.defaultFor(model), FusedInt8Kernels.selected());
  }

  public IntegerGin(GinModel model, Arithmetic arithmetic) {
    this(model, Kernels.int8(), arithmetic, FusedInt8Kernels.selected());
  }

  public IntegerGin(GinModel model, Int8Kernels kernels, Arithmetic arithmetic,
      FusedInt8Kernels fused) {
    this.arithmetic = arithmetic;
    this.fused = fused;
    this.model = model;
    this.kernels = kernels;
    List<GinLayer> gin = model.layers();
    layers = new LayerPlan[gin.size()];
    for (int i = 0; i < layers.length; i++) {
      GinLayer l = gin.get(i);
      LayerPlan p = new LayerPlan();
      p.layer = l;
      p.message = l.messageMultiplier() == null ? null
          : IntegerGcn.requantizer(l.messageMultiplier(), l.params(GinSite.MESSAGE), false);
      p.aggregate = IntegerGcn.requantizer(l.aggregateMultiplier(), l.params(GinSite.AGGREGATE), false);
      p.lin1Input = IntegerGcn.requantizer(l.lin1InputMultiplier(), l.params(GinSite.LIN1_INPUT), false);
      p.lin1 = IntegerGcn.requantizer(l.lin1Multiplier(), l.params(GinSite.LIN1_OUTPUT), false);
      p.lin2Input = IntegerGcn.requantizer(l.lin2InputMultiplier(), l.params(GinSite.LIN2_INPUT), true);
      p.lin2 = IntegerGcn.requantizer(l.lin2Multiplier(), l.params(GinSite.OUTPUT), l.outputRelu());
      p.w1 = Int8DenseWeights.pack(l.w1View(), l.nIn(), l.hidden(),
          l.params(GinSite.LIN1_WEIGHT).zeroPoint(), l.b1View(), zero(l.params(GinSite.LIN1_INPUT)));
      p.w2 = Int8DenseWeights.pack(l.w2View(), l.hidden(), l.hidden(),
          l.params(GinSite.LIN2_WEIGHT).zeroPoint(), l.b2View(), zero(l.params(GinSite.LIN2_INPUT)));
      if (i == 0) {
        p.firstSelfFactor = Math.scalb(l.onePlusEps(), l.selfShift()) / l.params(GinSite.AGGREGATE).scale();
        p.firstSelfBound = l.firstLayerSelfBound();
      } else {
        p.selfSign = (int) Math.signum(l.onePlusEps());
        p.self = l.selfMultiplier();
      }
      fastPlan(p, i == 0 ? null : gin.get(i - 1).params(GinSite.OUTPUT));
      layers[i] = p;
    }
    QuantParams previous = gin.get(gin.size() - 1).params(GinSite.OUTPUT);
    dense = new DensePlan[model.denseLayers().size()];
    for (int i = 0; i < dense.length; i++) {
      DenseLayer d = model.denseLayers().get(i);
      DensePlan p = new DensePlan();
      p.layer = d;
      p.input = IntegerGcn.requantizer(d.inputMultiplier(), d.params(DenseSite.INPUT), false);
      p.dense = IntegerGcn.requantizer(d.denseMultiplier(), d.params(DenseSite.OUTPUT), d.relu());
      p.weights = Int8DenseWeights.pack(d.weightsView(), d.nIn(), d.nOut(),
          d.params(DenseSite.WEIGHT).zeroPoint(), d.biasView(), zero(d.params(DenseSite.INPUT)));
      dense[i] = p;
      previous = d.params(DenseSite.OUTPUT);
    }
    OutputHead h = model.head();
    head = Int8DenseWeights.pack(h.weightsView(), h.nIn(), h.classes(), h.weightParams().zeroPoint(),
        h.biasView(), zero(previous));
    logitScale = (double) previous.scale() * h.weightParams().scale();
  }

  private static int zero(QuantParams p) {
    return IntegerGcn.zero(p);
  }

  /** The default arithmetic's constants of one layer; {@code previous} is null for layer 0. */
  private static void fastPlan(LayerPlan p, QuantParams previous) {
    GinLayer l = p.layer;
    p.fastAggregate = FloatRequant.of(p.aggregate);
    p.fastLin1Input = FloatRequant.of(p.lin1Input);
    p.fastLin1 = FloatRequant.of(p.lin1);
    p.fastLin2 = FloatRequant.of(p.lin2);
    p.lin2InputTable = IntegerGcn.codeTable(zero(l.params(GinSite.LIN1_OUTPUT)), p.lin2Input);
    float m = p.fastLin1Input.multiplier();
    if (previous == null) {
      p.firstSelf = (float) (p.firstSelfFactor * m);
      return;
    }
    int zx = zero(previous);
    p.messageTable = IntegerGcn.codeTable(zx, p.message);
    if (p.selfSign != 0) {
      p.selfTable = new float[256];
      for (int c = -128; c < 128; c++) {
        p.selfTable[c + 128] = p.selfSign * p.self.applySingleRounding(c - zx) * m;
      }
    }
  }

  @Override
  public Arithmetic arithmetic() {
    return arithmetic;
  }

  @Override
  public String describe() {
    return arithmetic.label() + " arithmetic, " + (arithmetic == Arithmetic.FAST
        ? fused.name() + " fused kernels, " : "") + kernels.name() + " kernels";
  }

  /**
   * One GIN layer in the default arithmetic: the message codes summed per target and
   * requantized, the self term added and requantized to lin1's input in the same pass (float
   * features for layer 0, a table of the self term of every code later), then the MLP's two dense
   * products with lin2's input requantization as a code table.
   */
  private byte[] fastLayer(LayerPlan p, byte[] msg, float[] features, byte[] x, int n,
      GinGraph graph) {
    GinLayer l = p.layer;
    int f = l.nIn();
    int h = l.hidden();
    byte[] h0 = new byte[n * f];
    fused.ginAggregate(graph.inEdges(), msg, f, zero(l.params(GinSite.MESSAGE)), p.fastAggregate,
        zero(l.params(GinSite.AGGREGATE)), l.selfShift(), features, p.firstSelf, x, p.selfTable,
        p.fastLin1Input, h0);
    byte[] h1 = new byte[n * h];
    fused.denseRequantize(h0, n, p.w1, p.fastLin1, p.lin2InputTable, h1);
    byte[] y = new byte[n * h];
    fused.denseRequantize(h1, n, p.w2, p.fastLin2, null, y);
    return y;
  }

  /** Layer 0's message codes of finite float features, with the training quantizer's arithmetic. */
  private byte[] firstMessageCodes(LayerPlan p, float[] features) {
    return IntegerGcn.codes(fused, p.layer.params(GinSite.MESSAGE), features);
  }

  @Override
  public GinModel model() {
    return model;
  }

  /** {@link #run} over the edges as one graph. */
  @Override
  public Result score(float[] features, int nodes, int[] src, int[] dst) {
    return run(features, GinGraph.of(nodes, src, dst));
  }

  /** The int32 logits of every row (node or graph) and what they mean. */
  public static final class Result implements ClassScores {
    private final int[] logits;
    private final int rows;
    private final int classes;
    private final double scale;

    Result(int[] logits, int rows, int classes, double scale) {
      this.logits = logits;
      this.rows = rows;
      this.classes = classes;
      this.scale = scale;
    }

    public int rows() { return rows; }
    public int classes() { return classes; }
    /** The real value of one logit unit, {@code s_x s_w} of the head. */
    public double scale() { return scale; }
    /** The int32 logit of row {@code r}, class {@code c}. */
    public int code(int r, int c) { return logits[r * classes + c]; }
    public double logit(int r, int c) { return code(r, c) * scale; }

    @Override
    public int[] predictions() {
      return LogitRows.argmax(rows, classes, i -> logits[i]);
    }

    @Override
    public double[] probabilities(int r) {
      return LogitRows.softmax(classes, c -> code(r, c), scale);
    }
  }

  /**
   * @param features row-major {@code [graph.nodes(), inputWidth]} finite floats
   * @return logits per node (node task) or per graph of {@code graph} (graph task)
   */
  public Result run(float[] features, GinGraph graph) {
    int n = graph.nodes();
    GinFeatures.check(features, n, model.inputWidth());
    byte[] x = null; // the previous layer's output codes
    QuantParams xParams = null;
    for (LayerPlan p : layers) {
      x = layer(p, features, x, xParams, n, graph);
      xParams = p.layer.params(GinSite.OUTPUT);
    }
    int rows = n;
    if (model.task() == ModelTask.GRAPH) {
      x = pool(x, xParams, graph);
      rows = graph.graphs();
      for (DensePlan d : dense) {
        x = d == dense[0] ? x : requantizeFrom(x, zero(xParams), d.input);
        byte[] y = new byte[rows * d.layer.nOut()];
        kernels.denseRequantize(x, rows, d.weights, d.dense, y);
        x = y;
        xParams = d.layer.params(DenseSite.OUTPUT);
      }
    }
    int classes = model.classes();
    int[] logits = new int[rows * classes];
    kernels.dense(x, rows, head, logits);
    return new Result(logits, rows, classes, logitScale);
  }

  /** One GIN layer; {@code x == null} means layer 0, which reads the float features. */
  private byte[] layer(LayerPlan p, float[] features, byte[] x, QuantParams xParams, int n,
      GinGraph graph) {
    if (arithmetic == Arithmetic.FAST) {
      return x == null ? fastLayer(p, firstMessageCodes(p, features), features, null, n, graph)
          : fastLayer(p, IntegerGcn.lookUp(x, p.messageTable), null, x, n, graph);
    }
    if (x == null) {
      return aggregateAndMlp(p, firstMessageCodes(p, features), firstSelf(p, features), n, graph);
    }
    int zx = zero(xParams);
    int[] self = new int[n * p.layer.nIn()];
    if (p.selfSign != 0) {
      for (int i = 0; i < self.length; i++) {
        self[i] = p.selfSign * p.self.applySingleRounding(x[i] - zx);
      }
    }
    return aggregateAndMlp(p, requantizeFrom(x, zx, p.message), self, n, graph);
  }

  /** Layer 0's self term {@code (1 + eps) x} from the float features, at scale {@code s_agg 2^-k}. */
  private static int[] firstSelf(LayerPlan p, float[] features) {
    int[] acc = new int[features.length];
    for (int i = 0; i < acc.length; i++) {
      double t = p.firstSelfFactor * features[i];
      acc[i] = (int) Math.rint(Math.max(-p.firstSelfBound, Math.min(p.firstSelfBound, t)));
    }
    return acc;
  }

  /**
   * The rest of a layer: sum of the in-neighbours' message codes, requantized, plus the self term
   * {@code acc} (scale {@code s_agg 2^-k}, overwritten), then the two-layer MLP.
   */
  private byte[] aggregateAndMlp(LayerPlan p, byte[] msg, int[] acc, int n, GinGraph graph) {
    GinLayer l = p.layer;
    int f = l.nIn();
    int h = l.hidden();
    int k = l.selfShift();
    byte[] agg = new byte[n * f];
    kernels.aggregateRequantize(graph.inEdges(), null, 0, msg, f, zero(l.params(GinSite.MESSAGE)),
        p.aggregate, agg);
    int za = zero(l.params(GinSite.AGGREGATE));
    for (int i = 0; i < acc.length; i++) {
      acc[i] += (agg[i] - za) << k;
    }
    byte[] h0 = new byte[n * f];
    kernels.requantize(acc, 0, h0, 0, acc.length, p.lin1Input);
    byte[] z1 = new byte[n * h];
    kernels.denseRequantize(h0, n, p.w1, p.lin1, z1);
    byte[] h1 = requantizeFrom(z1, zero(l.params(GinSite.LIN1_OUTPUT)), p.lin2Input);
    byte[] y = new byte[n * h];
    kernels.denseRequantize(h1, n, p.w2, p.lin2, y);
    return y;
  }

  /*
   * Layer by layer, for scoring one big graph part by part (each part its own nodes plus a halo of
   * in-neighbours, exchanging codes between layers): the same arithmetic as run(), split where a
   * node's codes must travel. A node's output depends only on its own row and its in-neighbours'
   * rows of the layer input, so a part's own nodes come out exactly as in a whole-graph run.
   */

  /** GIN layers of the model. */
  @Override
  public int layerCount() {
    return layers.length;
  }

  /** Width of layer {@code li}'s input codes (layer 0: message codes of the features). */
  @Override
  public int layerInputWidth(int li) {
    return layers[li].layer.nIn();
  }

  /** Width of layer {@code li}'s output codes. */
  @Override
  public int layerOutputWidth(int li) {
    return layers[li].layer.hidden();
  }

  /** Layer 0's message codes of {@code features} (row-major, finite): what a node sends its out-neighbours. */
  public byte[] firstLayerMessages(float[] features) {
    GinFeatures.check(features, features.length / model.inputWidth(), model.inputWidth());
    return firstMessageCodes(layers[0], features);
  }

  /**
   * Layer 0 over a part: {@code messages} of every node ({@link #firstLayerMessages}), the float
   * {@code features} of every node (rows whose output is not wanted may be zeros).
   */
  public byte[] firstLayer(byte[] messages, float[] features, GinGraph graph) {
    int n = graph.nodes();
    GinFeatures.check(features, n, model.inputWidth());
    if (messages.length != features.length) {
      throw new IllegalArgumentException("messages has " + messages.length + " codes, features "
          + features.length + " values");
    }
    if (arithmetic == Arithmetic.FAST) {
      return fastLayer(layers[0], messages, features, null, n, graph);
    }
    return aggregateAndMlp(layers[0], messages, firstSelf(layers[0], features), n, graph);
  }

  /** Layer {@code li >= 1} over a part, from layer {@code li - 1}'s output codes of every node. */
  public byte[] layer(int li, byte[] x, GinGraph graph) {
    if (li < 1 || li >= layers.length) {
      throw new IllegalArgumentException("layer must be in 1.." + (layers.length - 1) + ", got " + li);
    }
    int n = graph.nodes();
    if (x.length != n * layers[li].layer.nIn()) {
      throw new IllegalArgumentException("layer " + li + " needs " + n + " x " + layers[li].layer.nIn()
          + " codes, got " + x.length);
    }
    return layer(layers[li], null, x, layers[li - 1].layer.params(GinSite.OUTPUT), n, graph);
  }

  /** Layer 0's input: {@link #firstLayerMessages}. */
  @Override
  public byte[] firstLayerInput(float[] features, int nodes) {
    return firstLayerMessages(features);
  }

  /** Layer 0 reads the float features for its {@code (1 + eps) x} self term. */
  @Override
  public boolean firstLayerReadsFeatures() {
    return true;
  }

  /** {@link #firstLayer} or {@link #layer(int, byte[], GinGraph)} over the graph's GIN form. */
  @Override
  public byte[] layer(int li, byte[] x, float[] features, LayerGraph graph) {
    return li == 0 ? firstLayer(x, features, graph.ginGraph()) : layer(li, x, graph.ginGraph());
  }

  /** A node task's logits from the last GIN layer's output codes of {@code rows} nodes. */
  @Override
  public Result nodeScores(byte[] last, int rows) {
    if (model.task() != ModelTask.NODE) {
      throw new IllegalStateException("nodeScores is for node-level models; this one classifies graphs");
    }
    int classes = model.classes();
    int[] logits = new int[rows * classes];
    kernels.dense(last, rows, head, logits); // reads the first rows of last
    return new Result(logits, rows, classes, logitScale);
  }

  /**
   * Sums each graph's centred output codes (the aggregation kernel with graphs as targets), then
   * for mean pooling divides by the node count keeping F fraction bits, and requantizes to the
   * first dense layer's input.
   */
  private byte[] pool(byte[] y, QuantParams yParams, GinGraph graph) {
    int h = model.layers().get(model.layers().size() - 1).hidden();
    int g = graph.graphs();
    int[] sums = new int[g * h];
    kernels.aggregate(graph.graphNodes(), null, 0, y, h, zero(yParams), sums);
    GraphReadout r = model.readout();
    if (r.pooling() == GraphReadout.Pooling.MEAN) {
      int fraction = r.fractionBits();
      for (int j = 0; j < g; j++) {
        long size = graph.graphSize(j);
        for (int i = j * h, end = i + h; i < end; i++) {
          sums[i] = size == 0 ? 0 : (int) divideRounded((long) sums[i] << fraction, size);
        }
      }
    }
    byte[] out = new byte[g * h];
    kernels.requantize(sums, 0, out, 0, sums.length, dense[0].input);
    return out;
  }

  /** {@code a / b} for {@code b > 0}, rounded to nearest, ties away from zero. */
  static long divideRounded(long a, long b) {
    long q = (Math.abs(a) + b / 2) / b; // b / 2 rounds an exact half (odd b has none) away from 0
    return a < 0 ? -q : q;
  }

  private byte[] requantizeFrom(byte[] codes, int zeroPoint, Requantizer rq) {
    int[] acc = new int[codes.length];
    for (int i = 0; i < codes.length; i++) {
      acc[i] = codes[i] - zeroPoint;
    }
    byte[] out = new byte[codes.length];
    kernels.requantize(acc, 0, out, 0, acc.length, rq);
    return out;
  }
}
