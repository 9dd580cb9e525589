package io.dqspark.model;

import io.dqspark.engine.CsrAdjacency;
import io.dqspark.engine.FloatDenseWeights;
import io.dqspark.engine.FloatKernels;
import io.dqspark.engine.Kernels;
import io.dqspark.util.DqInputException;
import java.util.List;

/**
 * The FP32 engine of a GAT, laid out as {@link IntegerGat} (a dense product per layer on {@link
 * FloatKernels}, per-node attention scores, one pass over every node's in-edges for the softmax
 * and the weighted sum, head merge, activation) so that the two compare data types rather than
 * algorithms. It is the honest speed baseline of the integer engine, and it runs the FP32 weights
 * of a trained network without DL4J ({@code io.dqspark.export.GatExporter#floatModel} reads them
 * out).
 *
 * <p>Graphs are {@link GcnGraph}s, whose edge rule (input self-loops dropped, one per node added)
 * is GAT's too; their normalisation is not used. Because every node has its self-loop, no softmax
 * is empty. Built once per model; {@link #run} is thread-safe.
 */
public final class FloatGat {
  /** LeakyReLU slope of negative attention logits, as the training layer and the GAT paper use. */
  private static final float NEGATIVE_SLOPE = 0.2f;

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

  public FloatGat(List<Layer> layers) {
    this(layers, Kernels.fp32());
  }

  public FloatGat(List<Layer> layers, FloatKernels kernels) {
    this.layers = FloatChain.of(layers, "GAT");
    this.kernels = kernels;
    this.dense = new FloatDenseWeights[layers.size()];
    for (int i = 0; i < dense.length; i++) {
      Layer l = layers.get(i);
      // no bias in the product: it is added after the heads are merged
      dense[i] = FloatDenseWeights.pack(l.weights(), l.nIn(), l.width(), null);
    }
  }

  public List<Layer> layers() { return layers; }
  public int inputWidth() { return layers.get(0).nIn(); }
  public int classes() { return layers.get(layers.size() - 1).nOut(); }

  /**
   * @param features row-major {@code [graph.nodes(), inputWidth]}
   * @return the last layer's outputs (the logits), row-major {@code [nodes, classes]}
   */
  public float[] run(float[] features, GcnGraph graph) {
    int nodes = graph.nodes();
    FloatChain.checkFeatures(features, nodes, inputWidth());
    float[] x = features;
    for (int li = 0; li < layers.size(); li++) {
      Layer l = layers.get(li);
      float[] z = new float[Math.multiplyExact(nodes, l.width())];
      kernels.dense(x, nodes, dense[li], z);
      float[] agg = attend(l, z, graph.nodeSources());
      x = mergeHeads(l, agg, nodes);
    }
    return x;
  }

  /**
   * For every destination and head: the softmax of its in-edges' LeakyReLU logits and the sum of
   * the weighted source rows. A logit is the source's score plus the destination's, so the two dot
   * products are done once per node rather than once per edge.
   */
  private static float[] attend(Layer l, float[] z, CsrAdjacency in) {
    int nodes = in.targets();
    int heads = l.heads();
    int f = l.outPerHead();
    int width = l.width();
    float[] aSrc = l.attSrc();
    float[] aDst = l.attDst();
    float[] scoreSrc = new float[nodes * heads];
    float[] scoreDst = new float[nodes * heads];
    for (int v = 0; v < nodes; v++) {
      int row = v * width;
      for (int h = 0; h < heads; h++) {
        float s = 0f;
        float d = 0f;
        for (int k = h * f, end = k + f; k < end; k++) {
          s = Math.fma(z[row + k], aSrc[k], s);
          d = Math.fma(z[row + k], aDst[k], d);
        }
        scoreSrc[v * heads + h] = s;
        scoreDst[v * heads + h] = d;
      }
    }
    int[] rowPtr = in.rowPtr();
    int[] sources = in.colIdx();
    int maxDegree = 0;
    for (int v = 0; v < nodes; v++) {
      maxDegree = Math.max(maxDegree, rowPtr[v + 1] - rowPtr[v]);
    }
    float[] weight = new float[maxDegree];
    float[] out = new float[nodes * width];
    for (int v = 0; v < nodes; v++) {
      int begin = rowPtr[v];
      int degree = rowPtr[v + 1] - begin;
      for (int h = 0; h < heads; h++) {
        float dstScore = scoreDst[v * heads + h];
        float max = Float.NEGATIVE_INFINITY;
        for (int e = 0; e < degree; e++) {
          float logit = scoreSrc[sources[begin + e] * heads + h] + dstScore;
          weight[e] = logit > 0 ? logit : NEGATIVE_SLOPE * logit;
          max = Math.max(max, weight[e]);
        }
        // subtracting the largest logit keeps exp below 1, so large logits cannot overflow
        float sum = 0f;
        for (int e = 0; e < degree; e++) {
          weight[e] = (float) Math.exp(weight[e] - max);
          sum += weight[e];
        }
        int to = v * width + h * f;
        for (int e = 0; e < degree; e++) {
          float alpha = weight[e] / sum;
          int from = sources[begin + e] * width + h * f;
          for (int k = 0; k < f; k++) {
            out[to + k] = Math.fma(alpha, z[from + k], out[to + k]);
          }
        }
      }
    }
    return out;
  }

  /** Heads side by side or averaged, plus the bias, then the activation: {@code [nodes, nOut]}. */
  private static float[] mergeHeads(Layer l, float[] agg, int nodes) {
    int width = l.width();
    int nOut = l.nOut();
    int merged = l.concat() ? 1 : l.heads();
    // for one merged head this is 1 and the sum below is the head itself
    float scale = 1f / merged;
    float[] b = l.bias();
    GatLayer.Activation act = l.activation();
    float[] y = new float[nodes * nOut];
    for (int v = 0, i = 0; v < nodes; v++) {
      for (int j = 0; j < nOut; j++, i++) {
        float s = 0f;
        for (int h = 0; h < merged; h++) {
          s += agg[v * width + h * nOut + j];
        }
        float o = s * scale + b[j];
        if (act == GatLayer.Activation.RELU) {
          o = o > 0 ? o : 0f;
        } else if (act == GatLayer.Activation.ELU && !(o > 0)) {
          o = (float) Math.expm1(o);
        }
        y[i] = o;
      }
    }
    return y;
  }

  /** Class of the largest logit per row; the first on ties (as ND4J's argmax). */
  public static int[] predictions(float[] logits, int classes) {
    return LogitRows.argmax(logits, classes);
  }
}
