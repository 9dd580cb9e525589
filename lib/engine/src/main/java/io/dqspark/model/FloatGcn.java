package io.dqspark.model;

import io.dqspark.engine.FloatDenseWeights;
import io.dqspark.engine.FloatKernels;
import io.dqspark.engine.Kernels;
import io.dqspark.util.DqInputException;
import java.util.List;

/**
 * The FP32 engine of a GCN: {@code Y = relu(Â (X W) + b)} per layer with {@link FloatKernels},
 * laid out as {@link IntegerGcn} (a dense product per layer, one pass over the in-edges of every
 * node, bias and ReLU per row) so that the two compare data types rather than algorithms. It is
 * the honest speed baseline of the integer engine, and it runs the FP32 weights of a trained
 * network without DL4J ({@code io.dqspark.export.FloatGcnExporter} reads them out).
 *
 * <p>Unlike the integer pipeline, it needs no per-edge messages: with nothing to quantize between
 * the product by the normalisation and the sum, the aggregation multiplies and adds in one step.
 * Built once per model; {@link #run} is thread-safe.
 */
public final class FloatGcn implements LayerwiseScorer<float[]> {
  /** One layer's FP32 parameters: {@code W [nIn, nOut]} row-major and {@code b [nOut]}. */
  public record Layer(int nIn, int nOut, boolean relu, float[] weights, float[] bias)
      implements FloatChain.Shape {
    public Layer {
      if (nIn < 1 || nOut < 1) {
        throw new DqInputException("GCN layer needs nIn, nOut >= 1, got " + nIn + ", " + nOut);
      }
      if (weights == null || weights.length != (long) nIn * nOut) {
        throw new DqInputException("GCN layer needs nIn*nOut = " + (long) nIn * nOut
            + " weights, got " + (weights == null ? "null" : weights.length));
      }
      if (bias == null || bias.length != nOut) {
        throw new DqInputException("GCN layer needs nOut = " + nOut + " biases, got "
            + (bias == null ? "null" : bias.length));
      }
      weights = weights.clone();
      bias = bias.clone();
    }
  }

  private final List<Layer> layers;
  private final FloatKernels kernels;
  private final FloatDenseWeights[] dense;
  private final float[][] bias;

  public FloatGcn(List<Layer> layers) {
    this(layers, Kernels.fp32());
  }

  public FloatGcn(List<Layer> layers, FloatKernels kernels) {
    this.layers = FloatChain.of(layers, "GCN");
    this.kernels = kernels;
    this.dense = new FloatDenseWeights[layers.size()];
    this.bias = new float[layers.size()][];
    for (int i = 0; i < dense.length; i++) {
      Layer l = layers.get(i);
      dense[i] = FloatDenseWeights.pack(l.weights(), l.nIn(), l.nOut(), null);
      bias[i] = l.bias();
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
    float[] x = features;
    for (int li = 0; li < layers.size(); li++) {
      x = layer(li, x, graph);
    }
    return x;
  }

  /**
   * Layer {@code li} over {@code graph} (a whole graph, or a part with its halo and whole-graph
   * degrees): {@code x} is every node's input row (the features for layer 0).
   */
  public float[] layer(int li, float[] x, GcnGraph graph) {
    int nodes = graph.nodes();
    Layer l = layers.get(li);
    FloatChain.checkFeatures(x, nodes, l.nIn());
    int h = l.nOut();
    float[] z = new float[Math.multiplyExact(nodes, h)];
    kernels.dense(x, nodes, dense[li], z);
    float[] y = new float[z.length];
    // bias and ReLU fused into the pass over the in-edges, as the integer engine fuses them
    kernels.aggregate(graph.nodeSources(), graph.floatNorm(), z, h, 0f, bias[li], l.relu(), y);
    return y;
  }

  @Override public int layerCount() { return layers.size(); }
  @Override public int layerInputWidth(int li) { return layers.get(li).nIn(); }
  @Override public int layerOutputWidth(int li) { return layers.get(li).nOut(); }
  /** The features themselves: layer 0 reads float rows. */
  @Override public float[] firstLayerInput(float[] features, int nodes) { return features; }
  @Override public boolean firstLayerReadsFeatures() { return false; }

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
