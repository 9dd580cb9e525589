package io.dqspark.jobs.score;

import io.dqspark.model.ClassScores;
import io.dqspark.model.FloatGat;
import io.dqspark.model.FloatGcn;
import io.dqspark.model.FloatGin;
import io.dqspark.util.DqInputException;
import java.util.List;

/**
 * The FP32 engines as {@link PartEngine}s: a model's FP32 network run layer by layer over a part,
 * its rows exchanged as floats. {@link FloatGcn} and {@link FloatGat} run whole chains only, so
 * each layer here is a one-layer engine over that layer's parameters: the same kernels and
 * arithmetic as the whole-graph {@code run}, one layer at a time. (A per-layer entry point on the
 * FP32 engines would make these adapters one-liners; {@link FloatGin} has one.)
 */
final class FloatPartEngines {
  private FloatPartEngines() {}

  static PartEngine gcn(FloatGcn net) {
    List<FloatGcn.Layer> layers = net.layers();
    List<FloatGcn> single = layers.stream().map(l -> new FloatGcn(List.of(l))).toList();
    return new FloatPartEngine(layers.size()) {
      public int inputWidth(int li) { return layers.get(li).nIn(); }
      public int outputWidth(int li) { return layers.get(li).nOut(); }
      float[] layer(int li, float[] x, PartGraph g) { return single.get(li).run(x, g.gcnGraph()); }
    };
  }

  /** GAT's layers read their in-neighbours' rows only, like GCN's; the degrees go unused. */
  static PartEngine gat(FloatGat net) {
    List<FloatGat.Layer> layers = net.layers();
    List<FloatGat> single = layers.stream().map(l -> new FloatGat(List.of(l))).toList();
    return new FloatPartEngine(layers.size()) {
      public int inputWidth(int li) { return layers.get(li).nIn(); }
      public int outputWidth(int li) { return layers.get(li).nOut(); }
      float[] layer(int li, float[] x, PartGraph g) { return single.get(li).run(x, g.gcnGraph()); }
    };
  }

  /**
   * Node-level GIN: layer 0 reads the exchanged feature rows for both the messages and the
   * {@code (1 + eps) x} self term; the head turns the last layer's own rows into logits.
   */
  static PartEngine gin(FloatGin net) {
    return new FloatPartEngine(net.ginLayers()) {
      public int inputWidth(int li) { return net.layerInputWidth(li); }
      public int outputWidth(int li) { return net.layerOutputWidth(li); }
      float[] layer(int li, float[] x, PartGraph g) { return net.layer(li, x, g.ginGraph()); }

      @Override
      public ClassScores scores(byte[] last, int owned) {
        float[] rows = FloatRows.decode(last, Math.multiplyExact(owned, outputWidth(layers() - 1)));
        return new FloatScores(net.nodeLogits(rows, owned), net.classes());
      }
    };
  }

  /** The error for an architecture the FP32 partitioned path does not run (yet). */
  static DqInputException unsupported(ModelRef ref) {
    return new DqInputException("--engine fp32 scores node-level GCN, GAT and GIN models; " + ref
        + " is a " + ref.task() + "-level " + ref.arch() + " model, which only the int8 engine scores"
        + " (use --engine int8)");
  }

  /** Float rows in and out of a one-layer FP32 pass; layer 0 reads only the exchanged rows. */
  private abstract static class FloatPartEngine implements PartEngine {
    private final int layers;

    FloatPartEngine(int layers) {
      this.layers = layers;
    }

    abstract float[] layer(int li, float[] x, PartGraph g);

    public int layers() { return layers; }
    public int valueBytes() { return Float.BYTES; }
    public byte[] inputRows(float[] features, int nodes) { return FloatRows.encode(features); }
    public boolean firstLayerReadsFeatures() { return false; }

    public byte[] layer(int li, byte[] x, float[] features, PartGraph g) {
      return FloatRows.encode(layer(li, FloatRows.decode(x), g));
    }

    public ClassScores scores(byte[] last, int owned) {
      int classes = outputWidth(layers - 1);
      return new FloatScores(FloatRows.decode(last, Math.multiplyExact(owned, classes)), classes);
    }
  }
}
