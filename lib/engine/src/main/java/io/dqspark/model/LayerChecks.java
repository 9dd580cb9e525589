package io.dqspark.model;

import io.dqspark.quant.FixedPointMultiplier;
import io.dqspark.quant.QuantParams;
import io.dqspark.util.DqInputException;

/**
 * Validation shared by every layer type of a model file: stored multipliers against their scales,
 * weight codes against their site's range, int32 biases against the accumulator's headroom. A
 * layer read from a file is checked by the same code as one built by an exporter.
 */
final class LayerChecks {
  /** Relative distance allowed between a stored multiplier and the one its scales give. */
  static final double MULTIPLIER_TOLERANCE = 1e-6;
  /** Largest |x - zx| * |w - zw| of one product term: 255 * 255. */
  static final long MAX_TERM = 255L * 255L;

  private LayerChecks() {}

  /**
   * Checks a stored multiplier against the value its scales give: the file carries both, and a
   * disagreement means corruption (or a writer that computed something else).
   */
  static FixedPointMultiplier check(String name, FixedPointMultiplier m, double expected) {
    if (m == null) {
      throw new DqInputException(name + " multiplier is missing");
    }
    if (!(Math.abs(m.value() - expected) <= MULTIPLIER_TOLERANCE * expected)) {
      throw new DqInputException(name + " multiplier " + m.value() + " does not match its scales ("
          + expected + ")");
    }
    return m;
  }

  /** The multiplier of a real ratio, as a model-file error naming it when out of range. */
  static FixedPointMultiplier multiplier(String name, double m) {
    try {
      return FixedPointMultiplier.of(m);
    } catch (DqInputException e) {
      throw new DqInputException(name + " multiplier: " + e.getMessage(), e);
    }
  }

  /** Copies {@code rows x cols} codes after checking each lies in the site's range. */
  static byte[] weights(String name, byte[] w, long rows, long cols, QuantParams p) {
    if (!p.signed()) {
      throw new DqInputException(name + " weight quantization must be signed, got " + p);
    }
    if (w == null || w.length != rows * cols) {
      throw new DqInputException(name + " needs " + rows + " x " + cols + " = " + rows * cols
          + " weight codes, got " + (w == null ? "null" : w.length));
    }
    for (int i = 0; i < w.length; i++) {
      if (w[i] < p.qmin() || w[i] > p.qmax()) {
        throw new DqInputException(name + " weight code " + i + " = " + w[i] + " outside ["
            + p.qmin() + ", " + p.qmax() + "] of " + p);
      }
    }
    return w.clone();
  }

  /**
   * Copies a dense layer's int32 bias (scale {@code s_in * s_w}) after checking that {@code
   * sum_i (x - zx)(w - zw) + bias} cannot leave int32 for {@code nIn} terms.
   */
  static int[] denseBias(String name, int[] bias, int nIn, int nOut) {
    if (bias == null || bias.length != nOut) {
      throw new DqInputException(name + " needs " + nOut + " bias values, got "
          + (bias == null ? "null" : bias.length));
    }
    long headroom = Integer.MAX_VALUE - MAX_TERM * nIn;
    for (int j = 0; j < nOut; j++) {
      if (Math.abs((long) bias[j]) > headroom) {
        throw new DqInputException(name + " bias " + j + " = " + bias[j] + " could overflow the int32"
            + " accumulator of " + nIn + " terms (|bias| must be <= " + headroom + ")");
      }
    }
    return bias.clone();
  }

  /** An input width for which the int32 dense accumulator is exact. */
  static int width(String name, String field, int value, int max) {
    if (value < 1 || value > max) {
      throw new DqInputException(name + " " + field + " must be in [1, " + max + "], got " + value);
    }
    return value;
  }
}
