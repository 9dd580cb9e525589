package io.dqspark.model;

import io.dqspark.engine.FloatDenseWeights;
import io.dqspark.engine.FloatKernels;
import io.dqspark.engine.Kernels;
import io.dqspark.util.DqInputException;
import java.util.List;
import java.util.Objects;

/**
 * The FP32 twin of {@link IntegerGin}: the same GIN network (layers, pooling, dense layers, head)
 * in float with the same code shape on {@link FloatKernels}, so that speed comparisons with the
 * integer engine are like for like. Weights come from a trained FP32 network (see {@code
 * io.dqspark.export.GinExporter#floatModel}); no quantization anywhere.
 */
public final class FloatGin implements LayerwiseScorer<float[]> {
  private final ModelTask task;
  private final List<Layer> layers;
  private final GraphReadout.Pooling pooling;
  private final List<Dense> dense;
  private final Dense head;
  private final FloatKernels kernels;
  private final FloatDenseWeights[] w1;
  private final FloatDenseWeights[] w2;
  private final FloatDenseWeights[] denseWeights;
  private final FloatDenseWeights headWeights;

  /** A GIN layer's float parameters; {@code w1 [nIn, hidden]}, {@code w2 [hidden, hidden]}, row-major. */
  public record Layer(int nIn, int hidden, boolean outputRelu, float eps, float[] w1, float[] b1,
      float[] w2, float[] b2) {}

  /** A dense map {@code relu?(x W + b)}, {@code W [nIn, nOut]} row-major. */
  public record Dense(int nIn, int nOut, boolean relu, float[] w, float[] b) {}

  /**
   * @param pooling null for the node task
   * @param dense the graph head's dense layers (empty for the node task)
   * @param head the final linear map (no ReLU): its outputs are the logits
   */
  public FloatGin(ModelTask task, List<Layer> layers, GraphReadout.Pooling pooling, List<Dense> dense,
      Dense head, FloatKernels kernels) {
    this.task = Objects.requireNonNull(task, "task");
    this.layers = List.copyOf(layers);
    this.pooling = pooling;
    this.dense = List.copyOf(dense);
    this.head = Objects.requireNonNull(head, "head");
    this.kernels = kernels;
    if (this.layers.isEmpty() || (task == ModelTask.GRAPH) != (pooling != null)) {
      throw new DqInputException("FloatGin needs GIN layers, and pooling exactly for the graph task");
    }
    w1 = new FloatDenseWeights[this.layers.size()];
    w2 = new FloatDenseWeights[this.layers.size()];
    for (int i = 0; i < w1.length; i++) {
      Layer l = this.layers.get(i);
      w1[i] = FloatDenseWeights.pack(l.w1(), l.nIn(), l.hidden(), l.b1());
      w2[i] = FloatDenseWeights.pack(l.w2(), l.hidden(), l.hidden(), l.b2());
    }
    denseWeights = new FloatDenseWeights[this.dense.size()];
    for (int i = 0; i < denseWeights.length; i++) {
      Dense d = this.dense.get(i);
      denseWeights[i] = FloatDenseWeights.pack(d.w(), d.nIn(), d.nOut(), d.b());
    }
    headWeights = FloatDenseWeights.pack(head.w(), head.nIn(), head.nOut(), head.b());
  }

  public FloatGin(ModelTask task, List<Layer> layers, GraphReadout.Pooling pooling, List<Dense> dense,
      Dense head) {
    this(task, layers, pooling, dense, head, Kernels.fp32());
  }

  public int inputWidth() { return layers.get(0).nIn(); }
  public int classes() { return head.nOut(); }

  /** GIN layers of the model. */
  @Override
  public int layerCount() {
    return layers.size();
  }

  @Override
  public int layerInputWidth(int li) {
    return layers.get(li).nIn();
  }

  @Override
  public int layerOutputWidth(int li) {
    return layers.get(li).hidden();
  }

  /**
   * GIN layer {@code li} over {@code graph} (a whole graph, or a part with its halo): {@code x} is
   * every node's input row (the features for layer 0). A node's output depends only on its own row
   * and its in-neighbours' rows, which lets a caller run the model layer by layer over parts.
   */
  public float[] layer(int li, float[] x, GinGraph graph) {
    Layer l = layers.get(li);
    int n = graph.nodes();
    int f = l.nIn();
    if (x.length != (long) n * f) {
      throw new DqInputException("GIN layer " + li + " needs " + n + " x " + f + " values, got " + x.length);
    }
    float[] h0 = new float[n * f];
    // (1 + eps) x fused into the sum over in-edges, ReLUs into the dense products (design §5.6)
    float ope = (float) (1 + (double) l.eps());
    kernels.aggregate(graph.inEdges(), null, x, f, ope, null, false, h0);
    float[] z1 = new float[n * l.hidden()];
    kernels.dense(h0, n, w1[li], true, z1);
    float[] y = new float[n * l.hidden()];
    kernels.dense(z1, n, w2[li], l.outputRelu(), y);
    return y;
  }

  /**
   * The features themselves: layer 0 reads float rows, whose {@code (1 + eps) x} self term is the
   * row itself (unlike {@link IntegerGin}, which sends message codes and reads the features too).
   */
  @Override
  public float[] firstLayerInput(float[] features, int nodes) {
    return features;
  }

  @Override
  public boolean firstLayerReadsFeatures() {
    return false;
  }

  @Override
  public float[] layer(int li, float[] x, float[] features, LayerGraph graph) {
    return layer(li, x, graph.ginGraph());
  }

  /** The node task's classes of the first {@code rows} nodes (see {@link #nodeLogits}). */
  @Override
  public FloatScores nodeScores(float[] last, int rows) {
    return new FloatScores(nodeLogits(last, rows), classes());
  }

  /** A node task's logits {@code [rows, classes]} from the first {@code rows} rows of the last layer's output. */
  public float[] nodeLogits(float[] last, int rows) {
    if (task != ModelTask.NODE) {
      throw new IllegalStateException("nodeLogits is for node-level models; this one classifies graphs");
    }
    float[] logits = new float[rows * head.nOut()];
    kernels.dense(last, rows, headWeights, logits); // reads the first rows of last
    return logits;
  }

  /** Logits {@code [rows, classes]}: rows are nodes (node task) or the graphs of {@code graph}. */
  public float[] run(float[] features, GinGraph graph) {
    int n = graph.nodes();
    GinFeatures.check(features, n, inputWidth());
    float[] x = features;
    for (int li = 0; li < layers.size(); li++) {
      x = layer(li, x, graph);
    }
    int rows = n;
    if (task == ModelTask.GRAPH) {
      int h = layers.get(layers.size() - 1).hidden();
      int g = graph.graphs();
      float[] pooled = new float[g * h];
      kernels.aggregate(graph.graphNodes(), null, x, h, pooled);
      if (pooling == GraphReadout.Pooling.MEAN) {
        for (int j = 0; j < g; j++) {
          float inv = graph.graphSize(j) == 0 ? 0f : 1f / graph.graphSize(j);
          for (int i = j * h, end = i + h; i < end; i++) {
            pooled[i] *= inv;
          }
        }
      }
      x = pooled;
      rows = g;
      for (int i = 0; i < dense.size(); i++) {
        float[] y = new float[rows * dense.get(i).nOut()];
        kernels.dense(x, rows, denseWeights[i], y);
        if (dense.get(i).relu()) {
          relu(y);
        }
        x = y;
      }
    }
    float[] logits = new float[rows * head.nOut()];
    kernels.dense(x, rows, headWeights, logits);
    return logits;
  }

  private static void relu(float[] v) {
    for (int i = 0; i < v.length; i++) {
      v[i] = v[i] > 0 ? v[i] : 0f;
    }
  }

  /** Class of the largest logit per row of {@code [rows, classes]}; the first on ties. */
  public static int[] argmax(float[] logits, int classes) {
    return LogitRows.argmax(logits, classes);
  }
}
