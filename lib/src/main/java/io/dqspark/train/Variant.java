package io.dqspark.train;

import io.dqspark.gnn.QuantMode;
import io.dqspark.quant.QuantParams;
import java.util.Locale;

/**
 * One cell of the precision x method grid: FP32, or QAT / Degree-Quant at a bit width. FP32 has no
 * method, so the grid's fp32 x {qat, dq} collapses to one FP32 variant.
 */
public record Variant(QuantMode mode, int bits) {
  public static final Variant FP32 = new Variant(QuantMode.FP32, 32);

  public Variant {
    if (mode == QuantMode.FP32) {
      bits = 32;
    } else {
      QuantParams.checkBits(bits);
    }
  }

  /** From the command line's precision ({@code fp32, int8, int4}) and method ({@code qat, dq}). */
  public static Variant of(String precision, String method) {
    String p = precision.trim().toLowerCase(Locale.ROOT);
    if (p.equals("fp32")) {
      return FP32;
    }
    if (!p.matches("int[0-9]+")) {
      throw new IllegalArgumentException("unknown precision '" + precision
          + "', expected fp32, int8 or int4");
    }
    int bits = Integer.parseInt(p.substring(3));
    if (bits != 8 && bits != 4) {
      throw new IllegalArgumentException("unsupported precision '" + precision
          + "': the engine trains int8 and int4 (and fp32)");
    }
    String m = method.trim().toLowerCase(Locale.ROOT);
    switch (m) {
      case "qat": return new Variant(QuantMode.QAT, bits);
      case "dq": return new Variant(QuantMode.DQ, bits);
      default:
        throw new IllegalArgumentException("unknown method '" + method + "', expected qat or dq");
    }
  }

  /**
   * The bit width handed to the layers: {@link #bits} when quantized; 8 for FP32, whose layers
   * accept a bit width but never use it.
   */
  public int layerBits() {
    return mode == QuantMode.FP32 ? 8 : bits;
  }

  public String precision() {
    return mode == QuantMode.FP32 ? "fp32" : "int" + bits;
  }

  public String method() {
    return mode.name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return mode == QuantMode.FP32 ? "fp32" : precision() + " " + method();
  }
}
