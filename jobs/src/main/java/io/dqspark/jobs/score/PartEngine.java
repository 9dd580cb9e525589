package io.dqspark.jobs.score;

import io.dqspark.model.ClassScores;
import io.dqspark.model.IntegerGat;
import io.dqspark.model.IntegerGcn;
import io.dqspark.model.IntegerGin;
import io.dqspark.util.DqInputException;

/**
 * The per-layer integer passes of a node-level model, as {@link PartitionedNodeScorer} runs them
 * over the parts of a big graph: the codes a node sends before layer 0, one pass per layer over a
 * part (own nodes and halo), and the classes of the own nodes from the last layer's codes.
 */
interface PartEngine {
  int layers();

  /** Width of the codes layer {@code li} reads per node. */
  int inputWidth(int li);

  /** Width of the codes layer {@code li} writes per node. */
  int outputWidth(int li);

  /** Layer 0's input codes of one node (its features prepared as in training). */
  byte[] inputCodes(float[] features);

  /** Whether layer 0 reads the float features of the part's own nodes as well as the codes. */
  boolean firstLayerReadsFeatures();

  /**
   * One pass of layer {@code li} over the part: {@code x} holds the input codes of every node of the
   * part, {@code features} (layer 0, when read) the float features with zero rows for the halo.
   */
  byte[] layer(int li, byte[] x, float[] features, PartGraph g);

  /** The own nodes' classes from the last layer's output codes (own nodes first). */
  ClassScores scores(byte[] last, int owned);

  static PartEngine of(LoadedModel m) {
    if (m.gcn() != null) {
      return gcn(m.gcn());
    }
    if (m.gat() != null) {
      return gat(m.gat());
    }
    if (m.gin() != null && m.nodeLevel()) {
      return gin(m.gin());
    }
    throw new DqInputException(m.ref() + ": node scoring of a partitioned graph needs a node-level"
        + " model, this is a " + m.model().task().name().toLowerCase(java.util.Locale.ROOT) + "-level "
        + m.model().architecture());
  }

  private static PartEngine gcn(IntegerGcn gcn) {
    return new PartEngine() {
      public int layers() { return gcn.model().layers().size(); }
      public int inputWidth(int li) { return gcn.model().layers().get(li).nIn(); }
      public int outputWidth(int li) { return gcn.model().layers().get(li).nOut(); }
      public byte[] inputCodes(float[] features) { return gcn.inputCodes(features, 1); }
      public boolean firstLayerReadsFeatures() { return false; }
      public byte[] layer(int li, byte[] x, float[] features, PartGraph g) { return gcn.layer(li, x, g.gcnGraph()); }
      public ClassScores scores(byte[] last, int owned) { return gcn.result(last, owned); }
    };
  }

  /** GAT's layers read their in-neighbours' rows only, like GCN's; the degrees go unused. */
  private static PartEngine gat(IntegerGat gat) {
    return new PartEngine() {
      public int layers() { return gat.model().gatLayers().size(); }
      public int inputWidth(int li) { return gat.model().gatLayers().get(li).nIn(); }
      public int outputWidth(int li) { return gat.model().gatLayers().get(li).nOut(); }
      public byte[] inputCodes(float[] features) { return gat.inputCodes(features, 1); }
      public boolean firstLayerReadsFeatures() { return false; }
      public byte[] layer(int li, byte[] x, float[] features, PartGraph g) { return gat.layer(li, x, g.gcnGraph()); }
      public ClassScores scores(byte[] last, int owned) { return gat.result(last, owned); }
    };
  }

  private static PartEngine gin(IntegerGin gin) {
    return new PartEngine() {
      public int layers() { return gin.layers(); }
      public int inputWidth(int li) { return gin.layerInputWidth(li); }
      public int outputWidth(int li) { return gin.layerOutputWidth(li); }
      public byte[] inputCodes(float[] features) { return gin.firstLayerMessages(features); }
      public boolean firstLayerReadsFeatures() { return true; }
      public byte[] layer(int li, byte[] x, float[] features, PartGraph g) {
        return li == 0 ? gin.firstLayer(x, features, g.ginGraph()) : gin.layer(li, x, g.ginGraph());
      }
      public ClassScores scores(byte[] last, int owned) { return gin.nodeResult(last, owned); }
    };
  }
}
