package io.dqspark.jobs.score;

import io.dqspark.model.ClassScores;
import io.dqspark.model.IntegerGat;
import io.dqspark.model.IntegerGcn;
import io.dqspark.model.IntegerGin;
import io.dqspark.util.DqInputException;
import org.apache.spark.util.CollectionAccumulator;

/**
 * The per-layer passes of a node-level model, as {@link PartitionedNodeScorer} runs them over the
 * parts of a big graph: the rows a node sends before layer 0, one pass per layer over a part (own
 * nodes and halo), and the classes of the own nodes from the last layer's rows. Rows are bytes,
 * {@link #valueBytes} per value: int8 codes for the integer engines here, little-endian floats for
 * the FP32 ones ({@link FloatPartEngines}), so one exchange serves both.
 */
interface PartEngine {
  int layers();

  /** Width (values) of the rows layer {@code li} reads per node. */
  int inputWidth(int li);

  /** Width (values) of the rows layer {@code li} writes per node. */
  int outputWidth(int li);

  /** Bytes per value of every row: 1 (int8 codes) or 4 (FP32). */
  default int valueBytes() {
    return 1;
  }

  /** Layer 0's input rows of {@code nodes} nodes (row-major features prepared as in training). */
  byte[] inputRows(float[] features, int nodes);

  /** Whether layer 0 reads the float features of the part's own nodes as well as the codes. */
  boolean firstLayerReadsFeatures();

  /**
   * One pass of layer {@code li} over the part: {@code x} holds the input rows of every node of the
   * part, {@code features} (layer 0, when read) the float features with zero rows for the halo.
   * Returns the output rows of (at least) the part's own nodes, which come first.
   */
  byte[] layer(int li, byte[] x, float[] features, PartGraph g);

  /** The own nodes' classes from the last layer's output rows (own nodes first). */
  ClassScores scores(byte[] last, int owned);

  /**
   * This JVM's engine of {@code ref} for {@code engine}, loaded on first use (the integer model
   * through {@link ModelCache}, the FP32 network through {@link FloatModelCache}).
   */
  static PartEngine of(ModelRef ref, ScoringEngine engine, CollectionAccumulator<String> loads) {
    return engine == ScoringEngine.FP32 ? FloatModelCache.get(ref, loads) : of(ModelCache.get(ref, loads));
  }

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
      public byte[] inputRows(float[] features, int nodes) { return gcn.inputCodes(features, nodes); }
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
      public byte[] inputRows(float[] features, int nodes) { return gat.inputCodes(features, nodes); }
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
      public byte[] inputRows(float[] features, int nodes) { return gin.firstLayerMessages(features); }
      public boolean firstLayerReadsFeatures() { return true; }
      public byte[] layer(int li, byte[] x, float[] features, PartGraph g) {
        return li == 0 ? gin.firstLayer(x, features, g.ginGraph()) : gin.layer(li, x, g.ginGraph());
      }
      public ClassScores scores(byte[] last, int owned) { return gin.nodeResult(last, owned); }
    };
  }
}
