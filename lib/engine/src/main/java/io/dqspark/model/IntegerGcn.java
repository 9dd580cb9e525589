package io.dqspark.model;

import io.dqspark.engine.FloatRequant;
import io.dqspark.engine.FusedInt8Kernels;
import io.dqspark.engine.Int8DenseWeights;
import io.dqspark.engine.Int8Kernels;
import io.dqspark.engine.Kernels;
import io.dqspark.engine.Requantizer;
import io.dqspark.quant.FakeQuantizer;
import io.dqspark.quant.FixedPointMultiplier;
import io.dqspark.quant.QuantParams;
import io.dqspark.util.DqInputException;

/**
 * Scores a {@link GcnModel} with integer arithmetic only. In the {@link Arithmetic#EXACT}
 * arithmetic it goes through the same quantization points as the training layers' evaluation
 * forward (see {@link GcnLayer} for the pipeline); {@link Arithmetic#FAST}, the default for 8-bit
 * models, drops the rounding of every message (design §5.6). The
 * floating point left is quantizing the float input features, quantizing each graph's edge
 * normalisation once ({@link GcnGraph}) and, for callers who want them, dequantized logits.
 *
 * <p>Tensors use the engine's convention: an unsigned site's codes {@code q} travel as {@code
 * q - 128} with zero point {@code z - 128}. Built once per model; {@link #run} is thread-safe.
 */
public final class IntegerGcn implements IntegerScorer {
  private final GcnModel model;
  private final Int8Kernels kernels;
  private final Int8DenseWeights[] dense;
  private final Requantizer[] input;
  private final Requantizer[] xw;
  private final Requantizer[] message;
  private final Requantizer[] aggregate;
  private final Requantizer[] output;
  private final Arithmetic arithmetic;
  private final FusedInt8Kernels fused;
  /** FAST: input codes of layer i > 0 from layer i - 1's output codes (index code + 128). */
  private final byte[][] inputTable;
  /** FAST: XW, the aggregate of the unrounded messages ({@code s_norm s_xw / s_agg}), output. */
  private final FloatRequant[] fastXw;
  private final FloatRequant[] fastAggregate;
  private final FloatRequant[] fastOutput;

  public IntegerGcn(GcnModel model) {
    this(model, Kernels.int8());
  }

  public IntegerGcn(GcnModel model, Int8Kernels kernels) {
    this(model, kernels, Arithmetic.defaultFor(model), FusedInt8Kernels.selected());
  }

  public IntegerGcn(GcnModel model, Arithmetic arithmetic) {
    this(model, Kernels.int8(), arithmetic, FusedInt8Kernels.selected());
  }

  public IntegerGcn(GcnModel model, Int8Kernels kernels, Arithmetic arithmetic,
      FusedInt8Kernels fused) {
    this.model = model;
    this.kernels = kernels;
    this.arithmetic = arithmetic;
    this.fused = fused;
    int n = model.layers().size();
    dense = new Int8DenseWeights[n];
    input = new Requantizer[n];
    xw = new Requantizer[n];
    message = new Requantizer[n];
    aggregate = new Requantizer[n];
    output = new Requantizer[n];
    for (int i = 0; i < n; i++) {
      GcnLayer l = model.layers().get(i);
      dense[i] = Int8DenseWeights.pack(l.weightsView(), l.nIn(), l.nOut(),
          l.params(GcnSite.WEIGHT).zeroPoint(), null, zero(l.params(GcnSite.INPUT)));
      input[i] = l.inputMultiplier() == null ? null
          : requantizer(l.inputMultiplier(), l.params(GcnSite.INPUT), false);
      xw[i] = requantizer(l.xwMultiplier(), l.params(GcnSite.XW), false);
      message[i] = requantizer(l.messageMultiplier(), l.params(GcnSite.MESSAGE), false);
      aggregate[i] = requantizer(l.aggregateMultiplier(), l.params(GcnSite.AGGREGATE), false);
      output[i] = requantizer(l.outputMultiplier(), l.params(GcnSite.OUTPUT), l.relu());
    }
    inputTable = new byte[n][];
    fastXw = new FloatRequant[n];
    fastAggregate = new FloatRequant[n];
    fastOutput = new FloatRequant[n];
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        inputTable[i] = codeTable(zero(model.layers().get(i - 1).params(GcnSite.OUTPUT)), input[i]);
      }
      fastXw[i] = FloatRequant.of(xw[i]);
      fastAggregate[i] = FloatRequant.of(aggregate[i]).scaled(message[i].multiplier().value());
      fastOutput[i] = FloatRequant.of(output[i]);
    }
  }

  /** {@code table[c + 128] = rq.apply(c - zeroPoint)}: requantizing a code is exact as a lookup. */
  static byte[] codeTable(int zeroPoint, Requantizer rq) {
    byte[] t = new byte[256];
    for (int c = -128; c < 128; c++) {
      t[c + 128] = (byte) rq.apply(c - zeroPoint);
    }
    return t;
  }

  /** Maps every code through a {@link #codeTable}. */
  static byte[] lookUp(byte[] codes, byte[] table) {
    byte[] out = new byte[codes.length];
    for (int i = 0; i < codes.length; i++) {
      out[i] = table[codes[i] + 128];
    }
    return out;
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

  /** Engine code offset: unsigned codes are shifted down by 128. */
  static int offset(QuantParams p) {
    return p.signed() ? 0 : 128;
  }

  /** The site's zero point as an engine code. */
  static int zero(QuantParams p) {
    return p.zeroPoint() - offset(p);
  }

  /** Requantization to site {@code out} in the engine convention (shared by every integer engine). */
  static Requantizer requantizer(FixedPointMultiplier m, QuantParams out, boolean relu) {
    return Requantizer.of(m, zero(out), out.qmin() - offset(out), out.qmax() - offset(out), relu);
  }

  /** The last layer's output codes and what they mean. */
  public static final class Result implements ClassScores {
    private final byte[] codes;
    private final int nodes;
    private final int classes;
    private final QuantParams params;

    Result(byte[] codes, int nodes, int classes, QuantParams params) {
      this.codes = codes;
      this.nodes = nodes;
      this.classes = classes;
      this.params = params;
    }

    /** The scores of exactly {@code [nodes, classes]} logit codes of the output site {@code params}. */
    static Result of(byte[] codes, int nodes, int classes, QuantParams params) {
      if (codes == null || codes.length != (long) nodes * classes) {
        throw new DqInputException("logit codes must be [" + nodes + ", " + classes + "]");
      }
      return new Result(codes, nodes, classes, params);
    }

    /** {@link #of} the first {@code rows} rows: a part's own nodes, before its halo. */
    static Result ofFirstRows(byte[] codes, int rows, int classes, QuantParams params) {
      long own = (long) rows * classes;
      return of(codes != null && codes.length > own ? java.util.Arrays.copyOf(codes, (int) own) : codes, rows,
          classes, params);
    }

    /** {@code [nodes, classes]} logit codes in the engine convention. */
    public byte[] codes() { return codes; }
    /** The site's own codes (unshifted), for comparing with a fake-quant run in steps. */
    public int code(int node, int c) { return codes[node * classes + c] + offset(params); }
    public QuantParams params() { return params; }
    public int nodes() { return nodes; }
    public int classes() { return classes; }

    @Override
    public int[] predictions() {
      return LogitRows.argmax(nodes, classes, i -> codes[i]);
    }

    /** Dequantized logit {@code (code - z) * s}, for reporting. */
    public float logit(int node, int c) {
      return FakeQuantizer.dequantize(params, code(node, c));
    }

    /** Softmax of node {@code v}'s dequantized logits. */
    @Override
    public double[] probabilities(int v) {
      return LogitRows.softmax(classes, c -> logit(v, c), 1.0);
    }
  }

  /**
   * @param features row-major {@code [graph.nodes(), inputWidth]} float features
   */
  public Result run(float[] features, GcnGraph graph) {
    byte[] x = inputCodes(features, graph.nodes());
    for (int li = 0; li < model.layers().size(); li++) {
      x = layer(li, x, graph);
    }
    return result(x, graph.nodes());
  }

  /** The first layer's input codes of {@code [nodes, inputWidth]} float features (per node). */
  public byte[] inputCodes(float[] features, int nodes) {
    GcnLayer first = model.layers().get(0);
    if (features == null || features.length != (long) nodes * first.nIn()) {
      throw new DqInputException("features must be [" + nodes + ", " + first.nIn() + "] = "
          + (long) nodes * first.nIn() + " values, got " + (features == null ? "null" : features.length));
    }
    return codes(fused, first.params(GcnSite.INPUT), features);
  }

  /** Floats to the engine's int8 codes of site {@code p}, with the training quantizer's arithmetic. */
  static byte[] codes(FusedInt8Kernels kernels, QuantParams p, float[] x) {
    byte[] out = new byte[x.length];
    // the fused kernels' quantize is the training quantizer's, code for code (FusedKernelTest)
    kernels.quantize(x, p.invScale(), p.zeroPoint(), p.qmin(), p.qmax(), offset(p), out);
    return out;
  }

  /**
   * One layer: {@code x} is {@link #inputCodes} for layer 0, else the previous layer's output
   * codes; returns this layer's output codes {@code [graph.nodes(), nOut]}. A node's output
   * depends only on its own row of {@code x} and its in-neighbours' rows, which lets a caller run
   * the model layer by layer over parts of a graph ({@link GcnGraph#withDegrees}).
   */
  public byte[] layer(int li, byte[] x, GcnGraph graph) {
    int nodes = graph.nodes();
    GcnLayer l = model.layers().get(li);
    if (x == null || x.length != (long) nodes * l.nIn()) {
      throw new DqInputException("layer " + li + " input must be [" + nodes + ", " + l.nIn()
          + "] codes, got " + (x == null ? "null" : x.length));
    }
    int h = l.nOut();
    if (arithmetic == Arithmetic.FAST) {
      return fastLayer(li, x, graph, l);
    }
    if (li > 0) {
      x = requantizeFrom(x, zero(model.layers().get(li - 1).params(GcnSite.OUTPUT)), input[li]);
    }
    byte[] z = new byte[nodes * h];
    kernels.denseRequantize(x, nodes, dense[li], xw[li], z);

    QuantParams normParams = l.params(GcnSite.NORM);
    byte[] normCodes = graph.normCodes(normParams);
    // messages requantized one by one and summed per target, never stored (Int8Kernels.messageSum)
    int[] sums = new int[nodes * h];
    kernels.messageSum(graph.nodeSources(), normCodes, zero(normParams), z, h,
        zero(l.params(GcnSite.XW)), message[li], sums);
    byte[] agg = new byte[nodes * h];
    kernels.requantize(sums, 0, agg, 0, sums.length, aggregate[li]);

    int[] acc = new int[nodes * h];
    int[] bias = l.biasView();
    int shift = l.biasShift();
    int za = zero(l.params(GcnSite.AGGREGATE));
    for (int v = 0, i = 0; v < nodes; v++) {
      for (int j = 0; j < h; j++, i++) {
        acc[i] = ((agg[i] - za) << shift) + bias[j];
      }
    }
    byte[] out = new byte[nodes * h];
    kernels.requantize(acc, 0, out, 0, acc.length, output[li]);
    return out;
  }

  /**
   * The default arithmetic (design §5.6): XW requantized in float lanes, then one pass over the
   * in-edges that sums {@code (c - z_norm)(xw - z_xw)} exactly in int32 and requantizes it straight
   * to the aggregate site ({@code s_norm s_xw / s_agg}: the exact mode's rounding of every message
   * dropped), adds the bias and requantizes to the output, target by target.
   */
  private byte[] fastLayer(int li, byte[] x, GcnGraph graph, GcnLayer l) {
    int nodes = graph.nodes();
    int h = l.nOut();
    if (li > 0) {
      x = lookUp(x, inputTable[li]);
    }
    byte[] z = new byte[nodes * h];
    fused.denseRequantize(x, nodes, dense[li], fastXw[li], null, z);
    QuantParams norm = l.params(GcnSite.NORM);
    byte[] out = new byte[nodes * h];
    fused.gcnAggregate(graph.nodeSources(), graph.normCodes(norm), zero(norm), z, h,
        zero(l.params(GcnSite.XW)), fastAggregate[li], zero(l.params(GcnSite.AGGREGATE)),
        l.biasShift(), l.biasView(), fastOutput[li], out);
    return out;
  }

  /** The last layer's output codes of {@code nodes} nodes as a {@link Result}. */
  public Result result(byte[] codes, int nodes) {
    GcnLayer last = model.layers().get(model.layers().size() - 1);
    return Result.of(codes, nodes, last.nOut(), last.params(GcnSite.OUTPUT));
  }

  @Override
  public GcnModel model() { return model; }

  @Override
  public ClassScores score(float[] features, int nodes, int[] src, int[] dst) {
    return run(features, GcnGraph.of(nodes, src, dst));
  }

  @Override public int layerCount() { return model.layers().size(); }
  @Override public int layerInputWidth(int li) { return model.layers().get(li).nIn(); }
  @Override public int layerOutputWidth(int li) { return model.layers().get(li).nOut(); }
  @Override public byte[] firstLayerInput(float[] features, int nodes) { return inputCodes(features, nodes); }
  @Override public boolean firstLayerReadsFeatures() { return false; }

  /** {@link #layer(int, byte[], GcnGraph)} over the graph's GCN form; the features go unused. */
  @Override
  public byte[] layer(int li, byte[] x, float[] features, LayerGraph graph) {
    return layer(li, x, graph.gcnGraph());
  }

  /** {@link #result} of the first {@code rows} rows of {@code last}. */
  @Override
  public Result nodeScores(byte[] last, int rows) {
    GcnLayer l = model.layers().get(model.layers().size() - 1);
    return Result.ofFirstRows(last, rows, l.nOut(), l.params(GcnSite.OUTPUT));
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
