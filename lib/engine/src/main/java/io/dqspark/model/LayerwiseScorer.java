package io.dqspark.model;

/**
 * A node-level model run one layer at a time, which lets a caller score a big graph part by part
 * (each part its own nodes plus a halo of in-neighbours, exchanging rows between layers): a node's
 * layer output depends only on its own row and its in-neighbours' rows of the layer input, so a
 * part's own nodes come out exactly as in a whole-graph run. Every engine implements it, integer
 * ({@code R = byte[]}, int8 codes in the engine convention) and FP32 ({@code R = float[]}), so the
 * caller needs no case per architecture. Rows are row-major, {@link #layerInputWidth} or {@link
 * #layerOutputWidth} values per node.
 */
public interface LayerwiseScorer<R> {
  /** Message-passing layers. */
  int layerCount();

  /** Values per node of the rows layer {@code li} reads. */
  int layerInputWidth(int li);

  /** Values per node of the rows layer {@code li} writes. */
  int layerOutputWidth(int li);

  /**
   * Layer 0's input rows of {@code nodes} nodes from their row-major float features: what a node
   * sends its out-neighbours before layer 0.
   */
  R firstLayerInput(float[] features, int nodes);

  /** Whether layer 0 reads the float features as well as the rows (GIN's self term). */
  boolean firstLayerReadsFeatures();

  /**
   * Layer {@code li} over {@code graph}: {@code x} holds the input rows of every node; {@code
   * features} the float features when {@link #firstLayerReadsFeatures} and {@code li == 0} (rows
   * whose output is not wanted may be zeros), else ignored. Returns every node's output rows.
   */
  R layer(int li, R x, float[] features, LayerGraph graph);

  /** The classes of the first {@code rows} nodes from the last layer's output rows. */
  ClassScores nodeScores(R last, int rows);
}
