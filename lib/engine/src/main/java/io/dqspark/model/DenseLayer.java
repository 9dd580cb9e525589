package io.dqspark.model;

import io.dqspark.quant.FixedPointMultiplier;
import io.dqspark.quant.QuantParams;
import io.dqspark.util.DqInputException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * One exported quantized dense layer of a graph head (the training side's {@code
 * QuantDenseVertex}, e.g. {@code lin1}): {@code y = requant(sum (x - z_in)(w - z_w) + b, dense =
 * s_in s_w / s_out)}, clamped at the output zero point when it has a ReLU. Its input codes come
 * from the previous stage through {@code input} ({@code s_prev / s_in}; after a mean pool {@code
 * s_prev 2^-F / s_in}, see {@link GraphReadout}). Immutable, validated on construction.
 */
public final class DenseLayer {
  private final int nIn;
  private final int nOut;
  private final boolean relu;
  private final EnumMap<DenseSite, QuantParams> params;
  private final byte[] weights;
  private final int[] bias;
  private final FixedPointMultiplier inputMultiplier;
  private final FixedPointMultiplier denseMultiplier;

  /**
   * @param weights row-major {@code [nIn, nOut]} codes (copied)
   * @param bias int32 at scale {@code s_in s_w} (copied)
   */
  public DenseLayer(int nIn, int nOut, boolean relu, Map<DenseSite, QuantParams> params,
      byte[] weights, int[] bias, FixedPointMultiplier inputMultiplier,
      FixedPointMultiplier denseMultiplier) {
    this.nIn = LayerChecks.width("dense layer", "nIn", nIn, GcnLayer.MAX_EXACT_NIN);
    this.nOut = LayerChecks.width("dense layer", "nOut", nOut, GcnLayer.MAX_WIDTH);
    this.relu = relu;
    this.params = new EnumMap<>(DenseSite.class);
    for (DenseSite s : DenseSite.values()) {
      QuantParams p = params == null ? null : params.get(s);
      if (p == null) {
        throw new DqInputException("dense layer has no quantization parameters for site " + s);
      }
      this.params.put(s, p);
    }
    this.weights = LayerChecks.weights("dense layer", weights, nIn, nOut, this.params.get(DenseSite.WEIGHT));
    this.bias = LayerChecks.denseBias("dense layer", bias, nIn, nOut);
    if (inputMultiplier == null) {
      throw new DqInputException("dense layer input multiplier is missing");
    }
    this.inputMultiplier = inputMultiplier;
    this.denseMultiplier = LayerChecks.check("dense", denseMultiplier, (double) scale(DenseSite.INPUT)
        * scale(DenseSite.WEIGHT) / scale(DenseSite.OUTPUT));
  }

  private double scale(DenseSite s) {
    return params.get(s).scale();
  }

  /** Checks the input multiplier against the scale of what feeds the layer. */
  void checkInput(String name, double feederScale) {
    LayerChecks.check(name + " input", inputMultiplier, feederScale / scale(DenseSite.INPUT));
  }

  public int nIn() { return nIn; }
  public int nOut() { return nOut; }
  public boolean relu() { return relu; }
  public QuantParams params(DenseSite s) { return params.get(s); }
  public byte[] weights() { return weights.clone(); }
  public int[] bias() { return bias.clone(); }
  public FixedPointMultiplier inputMultiplier() { return inputMultiplier; }
  public FixedPointMultiplier denseMultiplier() { return denseMultiplier; }

  byte[] weightsView() { return weights; }
  int[] biasView() { return bias; }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof DenseLayer)) {
      return false;
    }
    DenseLayer l = (DenseLayer) o;
    return nIn == l.nIn && nOut == l.nOut && relu == l.relu && params.equals(l.params)
        && Arrays.equals(weights, l.weights) && Arrays.equals(bias, l.bias)
        && inputMultiplier.equals(l.inputMultiplier) && denseMultiplier.equals(l.denseMultiplier);
  }

  @Override
  public int hashCode() {
    return Objects.hash(nIn, nOut, relu, params, Arrays.hashCode(weights), Arrays.hashCode(bias));
  }

  @Override
  public String toString() {
    return "DenseLayer(" + nIn + " -> " + nOut + (relu ? ", relu" : "") + ", " + params + ")";
  }
}
