package io.dqspark.model;

import io.dqspark.quant.FixedPointMultiplier;
import io.dqspark.quant.QuantParams;
import io.dqspark.util.DqInputException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * One exported GAT layer: weight and attention codes, an int32 bias, the parameters of every
 * {@link GatSite}, the fixed-point multipliers, and the softmax table derived from the logit
 * scale. Immutable and validated, like {@link GcnLayer}.
 *
 * <p>The integer pipeline, for {@code H} heads of width {@code F}, {@code s_x} the scale of site
 * {@code x} and {@code m = 1} (concat) or {@code H} (mean):
 * <pre>
 *   z     = requant(sum_i (x - z_in)(w - z_w),                      xw        = s_in s_w / s_xw)
 *   logit = requant(sum_k (z[src] - z_xw)(aS - z_att)
 *                 + sum_k (z[dst] - z_xw)(aD - z_att),              logit     = s_xw s_att / s_logit)
 *   l5    = 5 LeakyReLU_0.2(logit - z_logit)   (an integer: d or 5d)
 *   num   = EXP[max_in(l5) - l5]                (the table below; the largest is 2^16)
 *   r     = round(m0 2^31 / sum_in(num))        (per target and head; (m0, n) = message = s_xw / s_msg)
 *   c     = round(num r / 2^16)                 (per edge and head: alpha m0 2^15)
 *   msg   = round((z[src] - z_xw) c / 2^(46 + n)) + z_msg, clamped (ties away from zero)
 *   agg   = requant(sum_in (msg - z_msg),                          aggregate = s_msg / s_agg)
 *   out   = requant((sum over merged heads of (agg - z_agg)) &lt;&lt; biasShift + bias,
 *                                                                  output    = s_agg 2^-biasShift / (m s_out))
 * </pre>
 * {@code EXP[t] = round(2^16 exp(-s_logit t / 5))} for {@code t} in {@code [0, 6 (qmax - qmin)]}
 * (the differences reach at most {@code 5 (qmax - qmin)}; the rest is margin):
 * the softmax of the dequantized LeakyReLU logits as integer weights, each destination's largest
 * logit at {@code 2^16}. It is computed from the stored logit scale with {@code StrictMath} when
 * the layer is built, so it is the same on every JVM and is not stored in the file.
 */
public final class GatLayer {
  /** Largest number of heads a model file may declare. */
  public static final int MAX_HEADS = 256;
  /** Bits of the largest softmax weight, {@code EXP[0] = 2^ALPHA_BITS}. */
  public static final int ALPHA_BITS = 16;
  /** Largest head width for which the two int32 logit dot products cannot overflow. */
  public static final int MAX_HEAD_WIDTH = 16512;

  /** The activation after the output site (ELU with alpha 1). */
  public enum Activation {
    NONE, RELU, ELU;

    public static Activation of(int code, String where) {
      if (code < 0 || code >= values().length) {
        throw new DqInputException(where + ": activation code " + code
            + " is not 0 (none), 1 (relu) or 2 (elu)");
      }
      return values()[code];
    }
  }

  private final int nIn;
  private final int outPerHead;
  private final int heads;
  private final boolean concat;
  private final Activation activation;
  private final EnumMap<GatSite, QuantParams> params;
  private final byte[] weights;
  private final byte[] attention;
  private final int[] bias;
  private final int biasShift;
  private final FixedPointMultiplier xwMultiplier;
  private final FixedPointMultiplier logitMultiplier;
  private final FixedPointMultiplier messageMultiplier;
  private final FixedPointMultiplier aggregateMultiplier;
  private final FixedPointMultiplier outputMultiplier;
  private final int[] softmaxTable;

  /**
   * @param weights row-major {@code [nIn, heads * outPerHead]} signed codes (copied)
   * @param attention {@code [2, heads * outPerHead]}: the source vectors of every head, then the
   *     destination vectors, as codes of the ATTENTION site (copied)
   * @param bias int32 bias at scale {@code s_agg 2^-biasShift / m}, one per output column (copied)
   */
  public GatLayer(int nIn, int outPerHead, int heads, boolean concat, Activation activation,
      Map<GatSite, QuantParams> params, byte[] weights, byte[] attention, int[] bias, int biasShift,
      FixedPointMultiplier xwMultiplier, FixedPointMultiplier logitMultiplier,
      FixedPointMultiplier messageMultiplier, FixedPointMultiplier aggregateMultiplier,
      FixedPointMultiplier outputMultiplier) {
    String name = "GAT layer";
    this.nIn = LayerChecks.width(name, "nIn", nIn, GcnLayer.MAX_EXACT_NIN);
    this.outPerHead = LayerChecks.width(name, "outPerHead", outPerHead, MAX_HEAD_WIDTH);
    this.heads = LayerChecks.width(name, "heads", heads, MAX_HEADS);
    if ((long) heads * outPerHead > GcnLayer.MAX_WIDTH) {
      throw new DqInputException(name + " heads * outPerHead = " + (long) heads * outPerHead
          + " exceeds " + GcnLayer.MAX_WIDTH);
    }
    this.concat = concat;
    this.activation = Objects.requireNonNull(activation, "activation");
    this.params = new EnumMap<>(GatSite.class);
    for (GatSite s : GatSite.values()) {
      QuantParams p = params == null ? null : params.get(s);
      if (p == null) {
        throw new DqInputException(name + " has no quantization parameters for site " + s);
      }
      this.params.put(s, p);
    }
    for (GatSite s : new GatSite[] {GatSite.XW, GatSite.LOGIT, GatSite.MESSAGE, GatSite.AGGREGATE}) {
      if (!this.params.get(s).signed()) {
        throw new DqInputException(name + " site " + s + " must be signed, got " + this.params.get(s));
      }
    }
    if (this.params.get(GatSite.OUTPUT).signed() == (activation == Activation.RELU)) {
      throw new DqInputException(name + " output site must be " + (activation == Activation.RELU
          ? "unsigned after a ReLU" : "signed before a " + activation + " activation") + ", got "
          + this.params.get(GatSite.OUTPUT));
    }
    int width = heads * outPerHead;
    this.weights = LayerChecks.weights(name, weights, nIn, width, this.params.get(GatSite.WEIGHT));
    this.attention = LayerChecks.weights(name + " attention", attention, 2, width,
        this.params.get(GatSite.ATTENTION));
    if (biasShift < 0 || biasShift > GcnLayer.MAX_BIAS_SHIFT) {
      throw new DqInputException(name + " bias shift must be in [0, " + GcnLayer.MAX_BIAS_SHIFT
          + "], got " + biasShift);
    }
    int outWidth = concat ? width : outPerHead;
    if (bias == null || bias.length != outWidth) {
      throw new DqInputException(name + " needs " + outWidth + " bias values, got "
          + (bias == null ? "null" : bias.length));
    }
    long headroom = Integer.MAX_VALUE - ((255L * merged()) << biasShift);
    for (int j = 0; j < outWidth; j++) {
      if (Math.abs((long) bias[j]) > headroom) {
        throw new DqInputException(name + " bias " + j + " = " + bias[j] + " with bias shift "
            + biasShift + " could overflow the int32 output accumulator (|bias| must be <= "
            + headroom + ")");
      }
    }
    this.bias = bias.clone();
    this.biasShift = biasShift;
    this.xwMultiplier = LayerChecks.check("xw", xwMultiplier,
        scale(GatSite.INPUT) * scale(GatSite.WEIGHT) / scale(GatSite.XW));
    this.logitMultiplier = LayerChecks.check("logit", logitMultiplier,
        scale(GatSite.XW) * scale(GatSite.ATTENTION) / scale(GatSite.LOGIT));
    this.messageMultiplier = LayerChecks.check("message", messageMultiplier,
        scale(GatSite.XW) / scale(GatSite.MESSAGE));
    this.aggregateMultiplier = LayerChecks.check("aggregate", aggregateMultiplier,
        scale(GatSite.MESSAGE) / scale(GatSite.AGGREGATE));
    this.outputMultiplier = LayerChecks.check("output", outputMultiplier,
        Math.scalb(scale(GatSite.AGGREGATE), -biasShift) / (merged() * scale(GatSite.OUTPUT)));
    this.softmaxTable = softmaxTable(this.params.get(GatSite.LOGIT));
  }

  /** {@code EXP[t] = round(2^16 exp(-s t / 5))}, {@code t} in {@code [0, 6 (qmax - qmin)]}. */
  static int[] softmaxTable(QuantParams logit) {
    int span = 6 * (logit.qmax() - logit.qmin());
    int[] table = new int[span + 1];
    double s = logit.scale();
    for (int t = 0; t <= span; t++) {
      table[t] = (int) StrictMath.rint(StrictMath.scalb(StrictMath.exp(-s * t / 5), ALPHA_BITS));
    }
    return table;
  }

  private double scale(GatSite s) {
    return params.get(s).scale();
  }

  /** Heads summed into one output column: 1 when concatenated, {@code heads} when averaged. */
  public int merged() { return concat ? 1 : heads; }
  public int nIn() { return nIn; }
  public int outPerHead() { return outPerHead; }
  public int heads() { return heads; }
  /** Columns of Z: {@code heads * outPerHead}. */
  public int width() { return heads * outPerHead; }
  /** Output columns: {@code width()} when concatenated, {@code outPerHead} when averaged. */
  public int nOut() { return concat ? width() : outPerHead; }
  public boolean concat() { return concat; }
  public Activation activation() { return activation; }
  public QuantParams params(GatSite s) { return params.get(s); }
  public byte[] weights() { return weights.clone(); }
  public byte[] attention() { return attention.clone(); }
  public int[] bias() { return bias.clone(); }
  public int biasShift() { return biasShift; }
  public FixedPointMultiplier xwMultiplier() { return xwMultiplier; }
  public FixedPointMultiplier logitMultiplier() { return logitMultiplier; }
  public FixedPointMultiplier messageMultiplier() { return messageMultiplier; }
  public FixedPointMultiplier aggregateMultiplier() { return aggregateMultiplier; }
  public FixedPointMultiplier outputMultiplier() { return outputMultiplier; }

  byte[] weightsView() { return weights; }
  byte[] attentionView() { return attention; }
  int[] biasView() { return bias; }
  int[] softmaxTableView() { return softmaxTable; }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof GatLayer)) {
      return false;
    }
    GatLayer l = (GatLayer) o;
    return nIn == l.nIn && outPerHead == l.outPerHead && heads == l.heads && concat == l.concat
        && activation == l.activation && biasShift == l.biasShift && params.equals(l.params)
        && Arrays.equals(weights, l.weights) && Arrays.equals(attention, l.attention)
        && Arrays.equals(bias, l.bias) && xwMultiplier.equals(l.xwMultiplier)
        && logitMultiplier.equals(l.logitMultiplier) && messageMultiplier.equals(l.messageMultiplier)
        && aggregateMultiplier.equals(l.aggregateMultiplier)
        && outputMultiplier.equals(l.outputMultiplier);
  }

  @Override
  public int hashCode() {
    return Objects.hash(nIn, outPerHead, heads, concat, activation, biasShift, params,
        Arrays.hashCode(weights), Arrays.hashCode(attention), Arrays.hashCode(bias));
  }

  @Override
  public String toString() {
    return "GatLayer(" + nIn + " -> " + heads + " x " + outPerHead + (concat ? " concat" : " mean")
        + ", " + activation + ", " + params + ")";
  }
}
