package io.dqspark.graph;

import java.util.Locale;

/** The role of a labelled node or graph in evaluation; {@code null} stands for "no split". */
public enum Split {
  TRAIN,
  VAL,
  TEST;

  /** The string stored in the {@code split} column. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a {@code split} column value; null, empty and "none" mean no split. */
  public static Split parse(String value) {
    if (value == null || value.isEmpty() || value.equalsIgnoreCase("none")) {
      return null;
    }
    switch (value.toLowerCase(Locale.ROOT)) {
      case "train": return TRAIN;
      case "val": case "valid": case "validation": return VAL;
      case "test": return TEST;
      default:
        throw new IllegalArgumentException(
            "unknown split '" + value + "' (expected train, val, test or none)");
    }
  }
}
