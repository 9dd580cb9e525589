package io.dqspark.model;

import io.dqspark.quant.FixedPointMultiplier;
import io.dqspark.quant.QuantParams;
import io.dqspark.util.DqInputException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * One exported GIN layer ({@code h' = MLP((1 + eps) x + sum_{u -> v} x_u)}, MLP = Linear, ReLU,
 * Linear, optional ReLU): weight codes and int32 biases of the two linear maps, the learnt
 * {@code eps}, the quantization parameters of every {@link GinSite} and the fixed-point
 * multipliers of the integer pipeline (docs/model-format.md). Immutable and validated on
 * construction; the checks that need the previous layer are {@link #checkPosition}'s.
 *
 * <p>Integer pipeline, {@code s_x} the scale of site {@code x}, {@code k = selfShift}:
 * <pre>
 *   msg  = requant(x - z_x,                          message   = s_x / s_msg)   (layer 0: quantize the floats)
 *   agg  = requant(sum_{u -> v} (msg[u] - z_msg),     aggregate = s_msg / s_agg)
 *   self = (1 + eps) (x - z_x) s_x / (s_agg 2^-k)    (self multiplier; layer 0: from the floats)
 *   h0   = requant(((agg - z_agg) &lt;&lt; k) + self,   lin1Input = s_agg 2^-k / s_in1)
 *   z1   = requant(sum (h0 - z_in1)(w1 - z_w1) + b1,  lin1      = s_in1 s_w1 / s_out1)
 *   h1   = requant(z1 - z_out1 with ReLU,             lin2Input = s_out1 / s_in2)
 *   y    = requant(sum (h1 - z_in2)(w2 - z_w2) + b2,  lin2      = s_in2 s_w2 / s_out, ReLU if set)
 * </pre>
 * The self term is carried at the fine scale {@code s_agg 2^-k} so that adding it to the
 * quantized aggregate, which training does in float, costs a negligible rounding.
 */
public final class GinLayer {
  public static final int MAX_SELF_SHIFT = 22;

  private final int nIn;
  private final int hidden;
  private final boolean outputRelu;
  private final EnumMap<GinSite, QuantParams> params;
  private final float eps;
  private final int selfShift;
  private final byte[] w1;
  private final int[] b1;
  private final byte[] w2;
  private final int[] b2;
  private final FixedPointMultiplier messageMultiplier;
  private final FixedPointMultiplier aggregateMultiplier;
  private final FixedPointMultiplier selfMultiplier;
  private final FixedPointMultiplier lin1InputMultiplier;
  private final FixedPointMultiplier lin1Multiplier;
  private final FixedPointMultiplier lin2InputMultiplier;
  private final FixedPointMultiplier lin2Multiplier;

  /**
   * @param w1 row-major {@code [nIn, hidden]} codes; {@code w2} {@code [hidden, hidden]} (copied)
   * @param b1 int32 at scale {@code s_in1 s_w1}; {@code b2} at {@code s_in2 s_w2} (copied)
   * @param messageMultiplier {@code s_prevOut / s_msg}; null for a first layer (float input)
   * @param selfMultiplier {@code |1 + eps| s_prevOut 2^k / s_agg}; null for a first layer or when
   *     {@code 1 + eps == 0}
   */
  public GinLayer(int nIn, int hidden, boolean outputRelu, Map<GinSite, QuantParams> params,
      float eps, int selfShift, byte[] w1, int[] b1, byte[] w2, int[] b2,
      FixedPointMultiplier messageMultiplier, FixedPointMultiplier aggregateMultiplier,
      FixedPointMultiplier selfMultiplier, FixedPointMultiplier lin1InputMultiplier,
      FixedPointMultiplier lin1Multiplier, FixedPointMultiplier lin2InputMultiplier,
      FixedPointMultiplier lin2Multiplier) {
    this.nIn = LayerChecks.width("GIN layer", "nIn", nIn, GcnLayer.MAX_EXACT_NIN);
    this.hidden = LayerChecks.width("GIN layer", "hidden", hidden, GcnLayer.MAX_EXACT_NIN);
    this.outputRelu = outputRelu;
    this.params = new EnumMap<>(GinSite.class);
    for (GinSite s : GinSite.values()) {
      QuantParams p = params == null ? null : params.get(s);
      if (p == null) {
        throw new DqInputException("GIN layer has no quantization parameters for site " + s);
      }
      this.params.put(s, p);
    }
    if (!Float.isFinite(eps)) {
      throw new DqInputException("GIN layer eps must be finite, got " + eps);
    }
    this.eps = eps;
    if (selfShift < 0 || selfShift > MAX_SELF_SHIFT) {
      throw new DqInputException("GIN self shift must be in [0, " + MAX_SELF_SHIFT + "], got "
          + selfShift);
    }
    this.selfShift = selfShift;
    this.w1 = LayerChecks.weights("GIN lin1", w1, nIn, hidden, this.params.get(GinSite.LIN1_WEIGHT));
    this.w2 = LayerChecks.weights("GIN lin2", w2, hidden, hidden, this.params.get(GinSite.LIN2_WEIGHT));
    this.b1 = LayerChecks.denseBias("GIN lin1", b1, nIn, hidden);
    this.b2 = LayerChecks.denseBias("GIN lin2", b2, hidden, hidden);
    this.messageMultiplier = messageMultiplier;
    this.selfMultiplier = selfMultiplier;
    this.aggregateMultiplier = LayerChecks.check("aggregate", aggregateMultiplier,
        scale(GinSite.MESSAGE) / scale(GinSite.AGGREGATE));
    this.lin1InputMultiplier = LayerChecks.check("lin1 input", lin1InputMultiplier,
        Math.scalb(scale(GinSite.AGGREGATE), -selfShift) / scale(GinSite.LIN1_INPUT));
    this.lin1Multiplier = LayerChecks.check("lin1", lin1Multiplier,
        scale(GinSite.LIN1_INPUT) * scale(GinSite.LIN1_WEIGHT) / scale(GinSite.LIN1_OUTPUT));
    this.lin2InputMultiplier = LayerChecks.check("lin2 input", lin2InputMultiplier,
        scale(GinSite.LIN1_OUTPUT) / scale(GinSite.LIN2_INPUT));
    this.lin2Multiplier = LayerChecks.check("lin2", lin2Multiplier,
        scale(GinSite.LIN2_INPUT) * scale(GinSite.LIN2_WEIGHT) / scale(GinSite.OUTPUT));
  }

  private double scale(GinSite s) {
    return params.get(s).scale();
  }

  /** {@code 1 + eps} as training computes it (the float parameter widened to double). */
  public double onePlusEps() {
    return 1 + (double) eps;
  }

  /**
   * Bound {@code L} of a first layer's self term in units of {@code s_agg 2^-k}: beyond it the
   * lin1 input saturates whatever the aggregate, so clamping there changes nothing.
   */
  public double firstLayerSelfBound() {
    return Math.scalb(256 * scale(GinSite.LIN1_INPUT) / scale(GinSite.AGGREGATE) + 256, selfShift);
  }

  /**
   * The checks that depend on the layer's place in the chain: a first layer reads float
   * features (no message or self multiplier); a later one reads the previous layer's output
   * codes. Either way {@code ((agg - z_agg) << k) + self} must stay inside int32.
   *
   * @param previousOutput the previous layer's OUTPUT parameters, null for the first layer
   */
  void checkPosition(String name, QuantParams previousOutput) {
    long limit = Integer.MAX_VALUE;
    if (previousOutput == null) {
      if (messageMultiplier != null || selfMultiplier != null) {
        throw new DqInputException(name + " reads float features: it must have no message or self"
            + " multiplier");
      }
      if (!(firstLayerSelfBound() + Math.scalb(255.0, selfShift) < limit)) {
        throw new DqInputException(name + " self shift " + selfShift + " lets the lin1 input"
            + " accumulator overflow int32");
      }
      return;
    }
    LayerChecks.check(name + " message", messageMultiplier,
        (double) previousOutput.scale() / scale(GinSite.MESSAGE));
    double ope = onePlusEps();
    if (ope == 0) {
      if (selfMultiplier != null) {
        throw new DqInputException(name + ": 1 + eps is 0, the self multiplier must be absent");
      }
      return;
    }
    FixedPointMultiplier self = LayerChecks.check(name + " self", selfMultiplier,
        Math.scalb(Math.abs(ope) * previousOutput.scale() / scale(GinSite.AGGREGATE), selfShift));
    if (!(Math.scalb(255.0, selfShift) + 255 * self.value() + 1 < limit)) {
      throw new DqInputException(name + " self shift " + selfShift + " lets the lin1 input"
          + " accumulator overflow int32");
    }
  }

  public int nIn() { return nIn; }
  public int hidden() { return hidden; }
  public boolean outputRelu() { return outputRelu; }
  public QuantParams params(GinSite s) { return params.get(s); }
  public float eps() { return eps; }
  public int selfShift() { return selfShift; }
  /** Copies of the weight codes and biases. */
  public byte[] w1() { return w1.clone(); }
  public int[] b1() { return b1.clone(); }
  public byte[] w2() { return w2.clone(); }
  public int[] b2() { return b2.clone(); }
  public FixedPointMultiplier messageMultiplier() { return messageMultiplier; }
  public FixedPointMultiplier aggregateMultiplier() { return aggregateMultiplier; }
  public FixedPointMultiplier selfMultiplier() { return selfMultiplier; }
  public FixedPointMultiplier lin1InputMultiplier() { return lin1InputMultiplier; }
  public FixedPointMultiplier lin1Multiplier() { return lin1Multiplier; }
  public FixedPointMultiplier lin2InputMultiplier() { return lin2InputMultiplier; }
  public FixedPointMultiplier lin2Multiplier() { return lin2Multiplier; }

  byte[] w1View() { return w1; }
  int[] b1View() { return b1; }
  byte[] w2View() { return w2; }
  int[] b2View() { return b2; }

  /** The multipliers in file order: message, aggregate, self, lin1 input, lin1, lin2 input, lin2. */
  FixedPointMultiplier[] multipliers() {
    return new FixedPointMultiplier[] {messageMultiplier, aggregateMultiplier, selfMultiplier,
        lin1InputMultiplier, lin1Multiplier, lin2InputMultiplier, lin2Multiplier};
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof GinLayer)) {
      return false;
    }
    GinLayer l = (GinLayer) o;
    return nIn == l.nIn && hidden == l.hidden && outputRelu == l.outputRelu
        && Float.floatToIntBits(eps) == Float.floatToIntBits(l.eps) && selfShift == l.selfShift
        && params.equals(l.params) && Arrays.equals(w1, l.w1) && Arrays.equals(b1, l.b1)
        && Arrays.equals(w2, l.w2) && Arrays.equals(b2, l.b2)
        && Arrays.equals(multipliers(), l.multipliers());
  }

  @Override
  public int hashCode() {
    return Objects.hash(nIn, hidden, outputRelu, eps, selfShift, params, Arrays.hashCode(w1),
        Arrays.hashCode(w2), Arrays.hashCode(b1), Arrays.hashCode(b2));
  }

  @Override
  public String toString() {
    return "GinLayer(" + nIn + " -> " + hidden + " -> " + hidden + (outputRelu ? ", relu" : "")
        + ", eps=" + eps + ", " + params + ")";
  }
}
