package io.dqspark.model;

import io.dqspark.quant.QuantParams;
import java.util.Arrays;
import java.util.Objects;

/**
 * The classifier's last linear map: {@code logits = x W + b}, trained in full precision (DL4J's
 * softmax output layer) and quantized per tensor at export. Its int32 outputs {@code acc = sum
 * (x - z_x)(w - z_w) + bias} are the logits at scale {@code s_x s_w}: argmax needs no floating
 * point, only the softmax probabilities do. The bias is stored at that scale.
 */
public final class OutputHead {
  private final int nIn;
  private final int classes;
  private final QuantParams weightParams;
  private final byte[] weights;
  private final int[] bias;

  /** @param weights row-major {@code [nIn, classes]} codes; @param bias int32 at {@code s_x s_w} */
  public OutputHead(int nIn, int classes, QuantParams weightParams, byte[] weights, int[] bias) {
    this.nIn = LayerChecks.width("output head", "nIn", nIn, GcnLayer.MAX_EXACT_NIN);
    this.classes = LayerChecks.width("output head", "classes", classes, QuantizedModel.MAX_CLASSES);
    this.weightParams = Objects.requireNonNull(weightParams, "weight parameters");
    this.weights = LayerChecks.weights("output head", weights, nIn, classes, weightParams);
    this.bias = LayerChecks.denseBias("output head", bias, nIn, classes);
  }

  public int nIn() { return nIn; }
  public int classes() { return classes; }
  public QuantParams weightParams() { return weightParams; }
  public byte[] weights() { return weights.clone(); }
  public int[] bias() { return bias.clone(); }

  byte[] weightsView() { return weights; }
  int[] biasView() { return bias; }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof OutputHead)) {
      return false;
    }
    OutputHead h = (OutputHead) o;
    return nIn == h.nIn && classes == h.classes && weightParams.equals(h.weightParams)
        && Arrays.equals(weights, h.weights) && Arrays.equals(bias, h.bias);
  }

  @Override
  public int hashCode() {
    return Objects.hash(nIn, classes, weightParams, Arrays.hashCode(weights), Arrays.hashCode(bias));
  }

  @Override
  public String toString() {
    return "OutputHead(" + nIn + " -> " + classes + ", " + weightParams + ")";
  }
}
