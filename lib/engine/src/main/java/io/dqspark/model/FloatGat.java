package io.dqspark.model;

import io.dqspark.engine.FloatDenseWeights;
import io.dqspark.engine.FloatKernels;
import io.dqspark.engine.GatFloatPass;
import io.dqspark.engine.GatKernels;
import io.dqspark.engine.Kernels;
import io.dqspark.util.DqInputException;
import java.util.List;

/**
 * The FP32 engine of a GAT, laid out as {@link IntegerGat}'s fast arithmetic (a dense product per
 * layer on {@link FloatKernels}, every node's attention scores as a second dense product, then one
 * fused pass per target for the softmax, the weighted sum, head merge, bias and activation, on
 * {@link GatKernels#fp32Layer}: heads in lanes, columns in lanes, the Vector API's exponential)
 * so that the two compare data types rather than algorithms (design §5.6). It is the honest speed baseline of the integer engine, and it runs the FP32 weights
 * of a trained network without DL4J ({@code io.dqspark.export.GatExporter#floatModel} reads them
 * out).
 *
 * <p>Graphs are {@link GcnGraph}s, whose edge rule (input self-loops dropped, one per node added)
 * is GAT's too; their normalisation is not used. Because every node has its self-loop, no softmax
 * is empty. Built once per model; {@link #run} is thread-safe.
 */
public final class FloatGat implements LayerwiseScorer<float[]> {
  /**
   * One layer's FP32 parameters, for {@code H = heads} heads of width {@code F = outPerHead}:
   * {@code W [nIn, H F]} row-major, the attention vectors {@code attSrc, attDst [H F]} (head
   * {@code h} in columns {@code h F .. h F + F - 1}, as {@code W}'s), and the bias of the merged
   * output ({@code [H F]} when heads are concatenated, {@code [F]} when averaged).
   */
  public record Layer(int nIn, int outPerHead, int heads, boolean concat, GatLayer.Activation activation,
      float[] weights, float[] attSrc, float[] attDst, float[] bias)
      implements FloatChain.Shape {
    public Layer {
      if (nIn < 1 || outPerHead < 1 || heads < 1) {
        throw new DqInputException("GAT layer needs nIn, outPerHead, heads >= 1, got " + nIn + ", "
            + outPerHead + ", " + heads);
      }
      if (activation == null) {
        throw new DqInputException("GAT layer needs an activation (NONE, RELU or ELU)");
      }
      long width = (long) heads * outPerHead;
      if (width > Integer.MAX_VALUE) {
        throw new DqInputException("GAT layer heads * outPerHead = " + width + " is too large");
      }
      check("nIn*heads*outPerHead weights", weights, (long) nIn * width);
      check("heads*outPerHead source attention values", attSrc, width);
      check("heads*outPerHead destination attention values", attDst, width);
      check((concat ? "heads*outPerHead" : "outPerHead") + " biases", bias, concat ? width : outPerHead);
      weights = weights.clone();
      attSrc = attSrc.clone();
      attDst = attDst.clone();
      bias = bias.clone();
    }

    private static void check(String what, float[] a, long expected) {
      if (a == null || a.length != expected) {
        throw new DqInputException("GAT layer needs " + what + " = " + expected + ", got "
            + (a == null ? "null" : a.length));
      }
    }

    /** Columns of {@code X W}: all heads side by side. */
    public int width() { return heads * outPerHead; }
    /** Columns of the layer's output: all heads (concat) or one head's width (mean). */
    public int nOut() { return concat ? width() : outPerHead; }
  }

  private final List<Layer> layers;
  private final FloatKernels kernels;
  private final FloatDenseWeights[] dense;
  private final FloatDenseWeights[] scores;
  private final GatFloatPass[] passes;
  private final GatKernels gat;

  public FloatGat(List<Layer> layers) {
    this(layers, Kernels.fp32());
  }

  /** With the scalar FP32 kernels, the scalar GAT pass too; else the selected one. */
  public FloatGat(List<Layer> layers, FloatKernels kernels) {
    this(layers, kernels, kernels == Kernels.scalarFp32() ? GatKernels.scalar() : GatKernels.selected());
  }

  public FloatGat(List<Layer> layers, FloatKernels kernels, GatKernels gat) {
    this.layers = FloatChain.of(layers, "GAT");
    this.kernels = kernels;
    this.gat = gat;
    this.dense = new FloatDenseWeights[layers.size()];
    this.scores = new FloatDenseWeights[layers.size()];
    this.passes = new GatFloatPass[layers.size()];
    for (int i = 0; i < dense.length; i++) {
      Layer l = layers.get(i);
      // no bias in the product: it is added after the heads are merged
      dense[i] = FloatDenseWeights.pack(l.weights(), l.nIn(), l.width(), null);
      scores[i] = scoreWeights(l);
      passes[i] = new GatFloatPass(l.heads(), l.outPerHead(), l.concat(), l.bias(),
          l.activation() == GatLayer.Activation.RELU ? GatFloatPass.RELU
              : l.activation() == GatLayer.Activation.ELU ? GatFloatPass.ELU : GatFloatPass.NONE);
    }
  }

  /** {@code [H F, 2 H]}: head {@code h}'s source vector in column {@code h}, its destination vector in {@code H + h}, zeros elsewhere. */
  private static FloatDenseWeights scoreWeights(Layer l) {
    int heads = l.heads();
    int f = l.outPerHead();
    int width = l.width();
    float[] aSrc = l.attSrc();
    float[] aDst = l.attDst();
    float[] w = new float[width * 2 * heads];
    for (int k = 0; k < width; k++) {
      w[k * 2 * heads + k / f] = aSrc[k];
      w[k * 2 * heads + heads + k / f] = aDst[k];
    }
    return FloatDenseWeights.pack(w, width, 2 * heads, null);
  }

  public List<Layer> layers() { return layers; }
  public int inputWidth() { return layers.get(0).nIn(); }
  public int classes() { return layers.get(layers.size() - 1).nOut(); }

  /**
   * @param features row-major {@code [graph.nodes(), inputWidth]}
   * @return the last layer's outputs (the logits), row-major {@code [nodes, classes]}
   */
  public float[] run(float[] features, GcnGraph graph) {
    float[] x = features;
    for (int li = 0; li < layers.size(); li++) {
      x = layer(li, x, graph);
    }
    return x;
  }

  /**
   * Layer {@code li} over {@code graph} (a whole graph, or a part with its halo): {@code x} is
   * every node's input row (the features for layer 0).
   */
  public float[] layer(int li, float[] x, GcnGraph graph) {
    int nodes = graph.nodes();
    Layer l = layers.get(li);
    FloatChain.checkFeatures(x, nodes, l.nIn());
    float[] z = new float[Math.multiplyExact(nodes, l.width())];
    kernels.dense(x, nodes, dense[li], z);
    int heads = l.heads();
    float[] sd = new float[Math.multiplyExact(nodes, 2 * heads)];
    kernels.dense(z, nodes, scores[li], sd);
    float[] sf = new float[nodes * heads];
    float[] df = new float[nodes * heads];
    for (int v = 0; v < nodes; v++) {
      System.arraycopy(sd, v * 2 * heads, sf, v * heads, heads);
      System.arraycopy(sd, v * 2 * heads + heads, df, v * heads, heads);
    }
    float[] y = new float[Math.multiplyExact(nodes, l.nOut())];
    gat.fp32Layer(passes[li], graph.nodeSources(), z, sf, df, y);
    return y;
  }

  @Override public int layerCount() { return layers.size(); }
  @Override public int layerInputWidth(int li) { return layers.get(li).nIn(); }
  @Override public int layerOutputWidth(int li) { return layers.get(li).nOut(); }
  /** The features themselves: layer 0 reads float rows. */
  @Override public float[] firstLayerInput(float[] features, int nodes) { return features; }
  @Override public boolean firstLayerReadsFeatures() { return false; }

  /** GAT's layers read their in-neighbours' rows only, like GCN's; the degrees go unused. */
  @Override
  public float[] layer(int li, float[] x, float[] features, LayerGraph graph) {
    return layer(li, x, graph.gcnGraph());
  }

  @Override
  public FloatScores nodeScores(float[] last, int rows) {
    return new FloatScores(FloatChain.firstRows(last, rows, classes()), classes());
  }

  /** Class of the largest logit per row; the first on ties (as ND4J's argmax). */
  public static int[] predictions(float[] logits, int classes) {
    return LogitRows.argmax(logits, classes);
  }
}
