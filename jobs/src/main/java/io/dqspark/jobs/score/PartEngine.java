package io.dqspark.jobs.score;

import io.dqspark.model.ClassScores;
import io.dqspark.model.LayerwiseScorer;
import io.dqspark.util.DqInputException;
import org.apache.spark.util.CollectionAccumulator;

/**
 * The per-layer passes of a node-level model, as {@link PartitionedNodeScorer} runs them over the
 * parts of a big graph: the rows a node sends before layer 0, one pass per layer over a part (own
 * nodes and halo), and the classes of the own nodes from the last layer's rows. Rows are bytes,
 * {@link #valueBytes} per value: int8 codes for the integer engines here, little-endian floats for
 * the FP32 ones ({@link FloatPartEngines}), so one exchange serves both. Either kind is one adapter
 * over the engines' {@link LayerwiseScorer}, whatever the architecture.
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

  /** The integer engine of a node-level model, its int8 codes as the rows. */
  static PartEngine of(LoadedModel m) {
    if (!m.nodeLevel()) {
      throw new DqInputException(m.ref() + ": node scoring of a partitioned graph needs a node-level"
          + " model, this is a " + m.model().task().name().toLowerCase(java.util.Locale.ROOT) + "-level "
          + m.model().architecture());
    }
    return codes(m.engine());
  }

  /** Any engine's layers with int8 code rows, one byte a value. */
  private static PartEngine codes(LayerwiseScorer<byte[]> engine) {
    return new PartEngine() {
      public int layers() { return engine.layerCount(); }
      public int inputWidth(int li) { return engine.layerInputWidth(li); }
      public int outputWidth(int li) { return engine.layerOutputWidth(li); }
      public byte[] inputRows(float[] features, int nodes) { return engine.firstLayerInput(features, nodes); }
      public boolean firstLayerReadsFeatures() { return engine.firstLayerReadsFeatures(); }
      public byte[] layer(int li, byte[] x, float[] features, PartGraph g) { return engine.layer(li, x, features, g); }
      public ClassScores scores(byte[] last, int owned) { return engine.nodeScores(last, owned); }
    };
  }
}
