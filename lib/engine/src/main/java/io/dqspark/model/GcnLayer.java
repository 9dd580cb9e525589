package io.dqspark.model;

import io.dqspark.quant.FixedPointMultiplier;
import io.dqspark.quant.QuantParams;
import io.dqspark.util.DqInputException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * One exported GCN layer: weight codes, an int32 bias, the quantization parameters of every
 * {@link GcnSite} and the fixed-point multipliers of the integer pipeline (see
 * {@code docs/model-format.md}). Immutable; the constructor validates everything, so a layer read
 * from a file is as safe to run as one built by the exporter.
 *
 * <p>The integer pipeline of a layer, with {@code s_x} the scale of site {@code x}:
 * <pre>
 *   xw   = requant(sum_i (x - z_in)(w - z_w),              xwMultiplier        = s_in s_w / s_xw)
 *   msg  = requant((c - z_norm)(xw[src] - z_xw),           messageMultiplier   = s_norm s_xw / s_msg)
 *   agg  = requant(sum_e (msg - z_msg),                    aggregateMultiplier = s_msg / s_agg)
 *   out  = requant(((agg - z_agg) &lt;&lt; biasShift) + bias,  outputMultiplier    = s_agg 2^-biasShift / s_out)
 * </pre>
 * and, for every layer but the first, {@code x = requant(prevOut - z_prevOut, inputMultiplier =
 * s_prevOut / s_in)}. The bias is therefore stored at scale {@code s_agg * 2^-biasShift}: finer
 * than the aggregate's step, so that rounding the float bias of training moves the output by far
 * less than one output step.
 */
public final class GcnLayer {
  /** Largest input or output width a model file may declare. */
  public static final int MAX_WIDTH = 1 << 20;
  /** Largest input width for which the int32 dense accumulator is exact (see Int8DenseWeights). */
  public static final int MAX_EXACT_NIN = 33025;
  public static final int MAX_BIAS_SHIFT = 22;

  private final int nIn;
  private final int nOut;
  private final boolean relu;
  private final EnumMap<GcnSite, QuantParams> params;
  private final byte[] weights;
  private final int[] bias;
  private final int biasShift;
  private final FixedPointMultiplier inputMultiplier;
  private final FixedPointMultiplier xwMultiplier;
  private final FixedPointMultiplier messageMultiplier;
  private final FixedPointMultiplier aggregateMultiplier;
  private final FixedPointMultiplier outputMultiplier;

  /**
   * @param weights row-major {@code [nIn, nOut]} signed weight codes (copied)
   * @param bias int32 bias at scale {@code s_agg * 2^-biasShift} (copied)
   * @param inputMultiplier {@code s_prevOut / s_in}, or null for a first layer (float input)
   */
  public GcnLayer(int nIn, int nOut, boolean relu, Map<GcnSite, QuantParams> params,
      byte[] weights, int[] bias, int biasShift, FixedPointMultiplier inputMultiplier,
      FixedPointMultiplier xwMultiplier, FixedPointMultiplier messageMultiplier,
      FixedPointMultiplier aggregateMultiplier, FixedPointMultiplier outputMultiplier) {
    if (nIn < 1 || nIn > MAX_EXACT_NIN) {
      throw new DqInputException("GCN layer nIn must be in [1, " + MAX_EXACT_NIN + "], got " + nIn);
    }
    if (nOut < 1 || nOut > MAX_WIDTH) {
      throw new DqInputException("GCN layer nOut must be in [1, " + MAX_WIDTH + "], got " + nOut);
    }
    this.nIn = nIn;
    this.nOut = nOut;
    this.relu = relu;
    this.params = new EnumMap<>(GcnSite.class);
    for (GcnSite s : GcnSite.values()) {
      QuantParams p = params == null ? null : params.get(s);
      if (p == null) {
        throw new DqInputException("GCN layer has no quantization parameters for site " + s);
      }
      this.params.put(s, p);
    }
    QuantParams w = this.params.get(GcnSite.WEIGHT);
    if (!w.signed()) {
      throw new DqInputException("GCN weight quantization must be signed, got " + w);
    }
    if (weights == null || weights.length != (long) nIn * nOut) {
      throw new DqInputException("GCN layer needs nIn*nOut = " + (long) nIn * nOut
          + " weight codes, got " + (weights == null ? "null" : weights.length));
    }
    for (int i = 0; i < weights.length; i++) {
      if (weights[i] < w.qmin() || weights[i] > w.qmax()) {
        throw new DqInputException("weight code " + i + " = " + weights[i] + " outside ["
            + w.qmin() + ", " + w.qmax() + "] of " + w);
      }
    }
    if (biasShift < 0 || biasShift > MAX_BIAS_SHIFT) {
      throw new DqInputException("bias shift must be in [0, " + MAX_BIAS_SHIFT + "], got " + biasShift);
    }
    if (bias == null || bias.length != nOut) {
      throw new DqInputException("GCN layer needs nOut = " + nOut + " bias values, got "
          + (bias == null ? "null" : bias.length));
    }
    long headroom = Integer.MAX_VALUE - (255L << biasShift);
    for (int j = 0; j < nOut; j++) {
      if (Math.abs((long) bias[j]) > headroom) {
        throw new DqInputException("bias " + j + " = " + bias[j] + " with bias shift " + biasShift
            + " could overflow the int32 output accumulator (|bias| must be <= " + headroom + ")");
      }
    }
    this.weights = weights.clone();
    this.bias = bias.clone();
    this.biasShift = biasShift;
    this.inputMultiplier = inputMultiplier;
    this.xwMultiplier = check("xw", xwMultiplier, scale(GcnSite.INPUT) * scale(GcnSite.WEIGHT)
        / scale(GcnSite.XW));
    this.messageMultiplier = check("message", messageMultiplier,
        scale(GcnSite.NORM) * scale(GcnSite.XW) / scale(GcnSite.MESSAGE));
    this.aggregateMultiplier = check("aggregate", aggregateMultiplier,
        scale(GcnSite.MESSAGE) / scale(GcnSite.AGGREGATE));
    this.outputMultiplier = check("output", outputMultiplier,
        Math.scalb(scale(GcnSite.AGGREGATE), -biasShift) / scale(GcnSite.OUTPUT));
  }

  private double scale(GcnSite s) {
    return params.get(s).scale();
  }

  /**
   * Checks a stored multiplier against the value its scales give: the file carries both, and a
   * disagreement means corruption (or a writer that computed something else).
   */
  static FixedPointMultiplier check(String name, FixedPointMultiplier m, double expected) {
    return LayerChecks.check(name, m, expected);
  }

  /** The multiplier {@code m} of a real ratio, as a model-file error when out of range. */
  public static FixedPointMultiplier multiplier(String name, double m) {
    return LayerChecks.multiplier(name, m);
  }

  public int nIn() { return nIn; }
  public int nOut() { return nOut; }
  public boolean relu() { return relu; }
  public QuantParams params(GcnSite s) { return params.get(s); }
  /** A copy of the {@code [nIn, nOut]} weight codes. */
  public byte[] weights() { return weights.clone(); }
  /** A copy of the bias at scale {@code s_agg * 2^-biasShift}. */
  public int[] bias() { return bias.clone(); }
  public int biasShift() { return biasShift; }
  /** {@code s_prevOut / s_in}; null for the first layer. */
  public FixedPointMultiplier inputMultiplier() { return inputMultiplier; }
  public FixedPointMultiplier xwMultiplier() { return xwMultiplier; }
  public FixedPointMultiplier messageMultiplier() { return messageMultiplier; }
  public FixedPointMultiplier aggregateMultiplier() { return aggregateMultiplier; }
  public FixedPointMultiplier outputMultiplier() { return outputMultiplier; }

  byte[] weightsView() { return weights; }
  int[] biasView() { return bias; }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof GcnLayer)) {
      return false;
    }
    GcnLayer l = (GcnLayer) o;
    return nIn == l.nIn && nOut == l.nOut && relu == l.relu && biasShift == l.biasShift
        && params.equals(l.params) && Arrays.equals(weights, l.weights) && Arrays.equals(bias, l.bias)
        && Objects.equals(inputMultiplier, l.inputMultiplier) && xwMultiplier.equals(l.xwMultiplier)
        && messageMultiplier.equals(l.messageMultiplier)
        && aggregateMultiplier.equals(l.aggregateMultiplier)
        && outputMultiplier.equals(l.outputMultiplier);
  }

  @Override
  public int hashCode() {
    return Objects.hash(nIn, nOut, relu, biasShift, params, Arrays.hashCode(weights),
        Arrays.hashCode(bias), inputMultiplier, xwMultiplier, outputMultiplier);
  }

  @Override
  public String toString() {
    return "GcnLayer(" + nIn + " -> " + nOut + (relu ? ", relu" : "") + ", " + params + ")";
  }
}
