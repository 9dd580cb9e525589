package io.dqspark.jobs.score;

import io.dqspark.util.DqInputException;
import java.util.Locale;

/**
 * Which arithmetic scores a node-level model over the parts of a big graph: the integer-only
 * engine of {@code model.dq8} (parts exchange int8 codes), or the same model's FP32 network from
 * {@code network.zip} (parts exchange float rows). Both run the same partitioned, layer-by-layer
 * path, so their wall times and shuffle volumes compare arithmetic and row size, not algorithms.
 */
public enum ScoringEngine {
  INT8,
  FP32;

  /** The engine named on the command line ({@code int8} or {@code fp32}, any case). */
  public static ScoringEngine parse(String option, String value) {
    if (value != null) {
      for (ScoringEngine e : values()) {
        if (e.label().equalsIgnoreCase(value.trim())) {
          return e;
        }
      }
    }
    throw new DqInputException(option + " must be int8 or fp32, got '" + value + "'");
  }

  /** The lower-case name reports use ({@code int8}, {@code fp32}). */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
