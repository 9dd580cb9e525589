package io.dqspark.train;

import java.util.Arrays;
import java.util.Locale;

/** The GNN architectures the engine trains. */
public enum Architecture {
  GCN, GAT, GIN;

  /** Parses a name case-insensitively; the error lists the valid names. */
  public static Architecture parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown architecture '" + name + "', expected one of "
          + Arrays.toString(values()).toLowerCase(Locale.ROOT));
    }
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
