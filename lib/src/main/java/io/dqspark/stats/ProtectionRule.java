package io.dqspark.stats;

import io.dqspark.util.DqInputException;

/**
 * Degree-Quant's protection probability (design §4): the empirical CDF of in-degree mapped into
 * {@code [pLow, pHigh]}, {@code p(d) = pLow + (pHigh - pLow) * |{v : indeg(v) <= d}| / n}.
 * Equal degrees get equal p and the highest-degree node gets exactly {@code pHigh}.
 *
 * <p>{@link #probability} fixes the order of the floating-point operations; the Spark job builds
 * the same expression so both sides give bit-identical values.
 */
public final class ProtectionRule {
  private final double pLow;
  private final double pHigh;

  public ProtectionRule(double pLow, double pHigh) {
    if (!(pLow >= 0 && pLow <= 1)) {
      throw new DqInputException("p-low must be in [0, 1], got " + pLow);
    }
    if (!(pHigh >= 0 && pHigh <= 1)) {
      throw new DqInputException("p-high must be in [0, 1], got " + pHigh);
    }
    if (pLow > pHigh) {
      throw new DqInputException("p-low (" + pLow + ") must not exceed p-high (" + pHigh + ")");
    }
    this.pLow = pLow;
    this.pHigh = pHigh;
  }

  public double pLow() { return pLow; }
  public double pHigh() { return pHigh; }

  /** {@code pHigh - pLow}, computed once in Java so that Spark uses the very same double. */
  public double span() {
    return pHigh - pLow;
  }

  /**
   * @param atMost number of nodes of the graph whose in-degree is at most this node's
   * @param nodes number of nodes of the graph
   */
  public double probability(long atMost, long nodes) {
    return pLow + span() * ((double) atMost / (double) nodes);
  }
}
