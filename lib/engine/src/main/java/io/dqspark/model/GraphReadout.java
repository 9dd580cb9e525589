package io.dqspark.model;

import io.dqspark.util.DqInputException;
import java.util.Objects;

/**
 * How a graph-level model pools node rows into one row per graph. Sum pooling adds the centred
 * codes {@code y - z_y} of a graph's nodes in int32. Mean pooling then divides by the graph's node
 * count in integers, keeping {@code fractionBits} fractional bits ({@code round(sum 2^F / n)},
 * ties away from zero) so that the division adds at most {@code 2^-(F+1)} of an output step
 * before the first dense layer's input multiplier ({@code s_y 2^-F / s_in}) requantizes it.
 */
public final class GraphReadout {
  /** How the rows of one graph combine; the code is the file's byte. */
  public enum Pooling {
    SUM(1),
    MEAN(2);

    private final int code;

    Pooling(int code) {
      this.code = code;
    }

    public int code() {
      return code;
    }

    static Pooling of(int code, String where) {
      for (Pooling p : values()) {
        if (p.code == code) {
          return p;
        }
      }
      throw new DqInputException(where + " is " + code + ", expected 1 (sum) or 2 (mean)");
    }
  }

  /** Largest F with {@code 255 * 2^F} inside int32. */
  public static final int MAX_FRACTION_BITS = 23;
  /** What the exporter uses for mean pooling: a rounding error of 2^-17 output steps. */
  public static final int DEFAULT_MEAN_FRACTION_BITS = 16;

  private final Pooling pooling;
  private final int fractionBits;

  public GraphReadout(Pooling pooling, int fractionBits) {
    this.pooling = Objects.requireNonNull(pooling, "pooling");
    if (pooling == Pooling.SUM ? fractionBits != 0
        : fractionBits < 0 || fractionBits > MAX_FRACTION_BITS) {
      throw new DqInputException("pooling " + pooling + " takes fraction bits "
          + (pooling == Pooling.SUM ? "0" : "in [0, " + MAX_FRACTION_BITS + "]") + ", got "
          + fractionBits);
    }
    this.fractionBits = fractionBits;
  }

  public Pooling pooling() { return pooling; }
  public int fractionBits() { return fractionBits; }

  @Override
  public boolean equals(Object o) {
    return o instanceof GraphReadout && ((GraphReadout) o).pooling == pooling
        && ((GraphReadout) o).fractionBits == fractionBits;
  }

  @Override
  public int hashCode() {
    return Objects.hash(pooling, fractionBits);
  }

  @Override
  public String toString() {
    return "GraphReadout(" + pooling + ", F=" + fractionBits + ")";
  }
}
