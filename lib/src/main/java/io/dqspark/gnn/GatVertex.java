package io.dqspark.gnn;

import java.util.Objects;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * Configuration of a graph attention layer (Veličković et al., GAT): per head {@code h},
 * {@code y_v = sum over edges u -> v of alpha_uv Z_u} with {@code Z = X W_h} and {@code alpha_uv =
 * softmax over u of LeakyReLU_0.2(Z_u · aSrc_h + Z_v · aDst_h)}; heads concatenated or averaged,
 * then a bias and an optional activation. Self-loops in the input are dropped and one per node is
 * added, so every node attends at least to itself; repeated edges count as often as they occur.
 * Optional dropout on the input features and on the normalised attention coefficients, in
 * training only.
 *
 * <p>Quantization ({@link QuantMode}, design §4): input, weights, XW, attention vectors (one
 * point for both), attention logits before the LeakyReLU, messages, aggregation and output; the
 * softmax is not quantized ({@link GatPoint}). The output quantizer sits before the activation for
 * {@link Activation#NONE} and {@link Activation#ELU} and is signed; with {@link Activation#RELU} it
 * quantizes the ReLU's output and is unsigned. The two placements give the same values for the
 * same grid (ReLU commutes with a quantizer whose grid holds 0), but after the ReLU the range
 * tracker never sees the negative half, so the unsigned point spends all its levels on values
 * that survive. ELU's output is then off the grid; the next layer's input quantizer takes it. The
 * input point is signed per {@code signedInput}; all other points are signed.
 *
 * <p>In DQ training a protected node skips quantization of its own rows at every node-indexed
 * point (input, XW, aggregation, output) and of the logits and messages it sends, as {@link
 * GcnVertex} does; weights and attention vectors belong to no node and are always quantized.
 *
 * <p>Vertex inputs, in order: node features {@code [N, nIn]}, the header {@code [1, 3]}, {@code
 * mask_prob} {@code [N, 1]} and the edge index {@code [E, 2]} (last, see {@link GraphInputs}).
 * Parameters, in layout order: {@code W [nIn, heads * outPerHead]}, {@code aSrc [heads,
 * outPerHead]}, {@code aDst [heads, outPerHead]}, {@code b [1, outWidth]} and the non-trainable
 * state {@code q} ({@link GatVertexImpl#STATE_LENGTH} values, present in every mode). The L2
 * penalty applies to {@code W} only, as for GCN. The updater must be set here: DL4J does not hand
 * its global updater to plain graph vertices. A bean: see {@link QuantizedGraphVertex}.
 */
public class GatVertex extends QuantizedGraphVertex<GatVertex> {
  /** The activation after the output quantizer (ELU with alpha 1, as in the GAT paper). */
  public enum Activation { NONE, RELU, ELU }

  private int outPerHead;
  private int heads;
  private boolean concat;
  private Activation activation = Activation.NONE;
  private double dropout;
  private double attentionDropout;

  public GatVertex() {}

  public GatVertex(int nIn, int outPerHead, int heads, boolean concat, IUpdater updater) {
    super(nIn, updater);
    this.outPerHead = outPerHead;
    this.heads = heads;
    this.concat = concat;
  }

  /** Width of each head's output. */
  public int getOutPerHead() { return outPerHead; }
  public void setOutPerHead(int outPerHead) { this.outPerHead = outPerHead; }
  public int getHeads() { return heads; }
  public void setHeads(int heads) { this.heads = heads; }
  /** Heads side by side ({@code heads * outPerHead} columns) or averaged ({@code outPerHead}). */
  public boolean isConcat() { return concat; }
  public void setConcat(boolean concat) { this.concat = concat; }
  public Activation getActivation() { return activation; }
  public void setActivation(Activation activation) {
    this.activation = Objects.requireNonNull(activation, "activation");
  }
  /** Probability of dropping each input element in training (0: no dropout). */
  public double getDropout() { return dropout; }
  public void setDropout(double dropout) { this.dropout = dropout; }
  /** Probability of dropping each normalised attention coefficient in training (0: none). */
  public double getAttentionDropout() { return attentionDropout; }
  public void setAttentionDropout(double attentionDropout) { this.attentionDropout = attentionDropout; }

  @Override
  protected int outputWidth() {
    return concat ? heads * outPerHead : outPerHead;
  }

  @Override
  public GatVertex clone() {
    GatVertex c = copySettingsTo(new GatVertex(getNIn(), outPerHead, heads, concat, null));
    c.setActivation(activation);
    c.setDropout(dropout);
    c.setAttentionDropout(attentionDropout);
    return c;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof GatVertex)) {
      return false;
    }
    GatVertex v = (GatVertex) o;
    return sameSettings(v) && outPerHead == v.outPerHead && heads == v.heads && concat == v.concat
        && activation == v.activation && Double.compare(dropout, v.dropout) == 0
        && Double.compare(attentionDropout, v.attentionDropout) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(settingsHash(), outPerHead, heads, concat, activation, dropout, attentionDropout);
  }

  /**
   * Sizes below 1 count as 0 here, so that DL4J can allocate the parameters and instantiation,
   * which knows the vertex's name, reports them.
   */
  @Override
  public long numParams(boolean backprop) {
    int nIn = Math.max(0, getNIn());
    int f = Math.max(0, outPerHead);
    int h = Math.max(0, heads);
    return GatVertexImpl.trainableParams(nIn, f, h, concat) + GatVertexImpl.STATE_LENGTH;
  }

  @Override
  public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph,
      String name, int idx, INDArray paramsView, boolean initializeParams, DataType dataType) {
    return new GatVertexImpl(graph, name, idx, this, paramsView, initializeParams, dataType);
  }

  @Override
  public String toString() {
    return "GatVertex(" + getNIn() + " -> " + heads + " x " + outPerHead + (concat ? " concat" : " mean")
        + (activation == Activation.NONE ? "" : ", " + activation.name().toLowerCase())
        + ", dropout=" + dropout + ", attentionDropout=" + attentionDropout + quantizationLabel() + ")";
  }
}
