package io.dqspark.model;

import io.dqspark.engine.CsrAdjacency;
import io.dqspark.engine.FusedInt8Kernels;
import io.dqspark.engine.Int8DenseWeights;
import io.dqspark.engine.Int8Kernels;
import io.dqspark.engine.Kernels;
import io.dqspark.engine.Requantizer;
import io.dqspark.quant.FakeQuantizer;
import io.dqspark.quant.QuantParams;
import io.dqspark.util.DqInputException;

/**
 * Scores a GAT {@link QuantizedModel} with integer arithmetic only, through the quantization
 * points of the training layer's evaluation forward ({@link GatLayer} gives the pipeline). The
 * softmax over each node's in-edges is integer too: LeakyReLU of an int8 logit is exact in fifths,
 * so its exponential is a table lookup, and the normalised weight of an edge becomes a per-edge
 * fixed-point multiplier of its message. Between layers, the previous layer's activation (ELU,
 * ReLU or none) and this layer's input quantizer collapse into a 256-entry code table.
 *
 * <p>Floating point is left in quantizing the input features and in building the tables once per
 * model. Graphs are {@link GcnGraph}s, whose edge rule (input self-loops dropped, one per node
 * added) is GAT's too; their normalisation is not used. Codes follow the engine's convention
 * (unsigned sites shifted by -128). Built once per model; {@link #run} is thread-safe.
 */
public final class IntegerGat {
  private final QuantizedModel model;
  private final Int8Kernels kernels;
  private final Int8DenseWeights[] dense;
  private final Requantizer[] xw;
  private final Requantizer[] logit;
  private final Requantizer[] aggregate;
  private final Requantizer[] output;
  /** {@code inputTable[li][prevCode + 128]}: layer {@code li}'s input code of a previous output code. */
  private final byte[][] inputTable;

  public IntegerGat(QuantizedModel model) {
    this(model, Kernels.int8());
  }

  public IntegerGat(QuantizedModel model, Int8Kernels kernels) {
    if (!QuantizedModel.GAT.equals(model.architecture())) {
      throw new DqInputException("IntegerGat scores GAT models, got " + model.architecture());
    }
    this.model = model;
    this.kernels = kernels;
    int n = model.gatLayers().size();
    dense = new Int8DenseWeights[n];
    xw = new Requantizer[n];
    logit = new Requantizer[n];
    aggregate = new Requantizer[n];
    output = new Requantizer[n];
    inputTable = new byte[n][];
    for (int i = 0; i < n; i++) {
      GatLayer l = model.gatLayers().get(i);
      dense[i] = Int8DenseWeights.pack(l.weightsView(), l.nIn(), l.width(),
          l.params(GatSite.WEIGHT).zeroPoint(), null, IntegerGcn.zero(l.params(GatSite.INPUT)));
      xw[i] = IntegerGcn.requantizer(l.xwMultiplier(), l.params(GatSite.XW), false);
      logit[i] = IntegerGcn.requantizer(l.logitMultiplier(), l.params(GatSite.LOGIT), false);
      aggregate[i] = IntegerGcn.requantizer(l.aggregateMultiplier(), l.params(GatSite.AGGREGATE), false);
      output[i] = IntegerGcn.requantizer(l.outputMultiplier(), l.params(GatSite.OUTPUT),
          l.activation() == GatLayer.Activation.RELU);
      if (i > 0) {
        inputTable[i] = inputTable(model.gatLayers().get(i - 1), l.params(GatSite.INPUT));
      }
    }
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
    for (int li = 0; li < model.gatLayers().size(); li++) {
      x = layer(li, x, graph);
    }
    return result(x, graph.nodes());
  }

  /** The first layer's input codes of {@code [nodes, inputWidth]} float features (per node). */
  public byte[] inputCodes(float[] features, int nodes) {
    GatLayer first = model.gatLayers().get(0);
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
    GatLayer l = model.gatLayers().get(li);
    if (x == null || x.length != (long) nodes * l.nIn()) {
      throw new DqInputException("layer " + li + " input must be [" + nodes + ", " + l.nIn()
          + "] codes, got " + (x == null ? "null" : x.length));
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
    GatLayer last = model.gatLayers().get(model.gatLayers().size() - 1);
    if (codes == null || codes.length != (long) nodes * last.nOut()) {
      throw new DqInputException("logit codes must be [" + nodes + ", " + last.nOut() + "]");
    }
    return new IntegerGcn.Result(codes, nodes, last.nOut(), last.params(GatSite.OUTPUT));
  }

  public QuantizedModel model() { return model; }
}
