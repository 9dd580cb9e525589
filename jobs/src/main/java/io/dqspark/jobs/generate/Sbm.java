package io.dqspark.jobs.generate;

import io.dqspark.util.DqInputException;
import java.io.Serializable;

/**
 * A degree-corrected stochastic block model with contextual features (design §3.8): a graph whose
 * labels a GNN can learn from the structure and a per-node classifier only partly.
 *
 * <p>Node {@code i} belongs to community {@code i mod C} (its label) and has rank {@code i / C}
 * inside it. Its expected degree is proportional to {@code (rank + 1)^(-1 / (gamma - 1))}, so
 * degrees follow a power law of exponent {@code gamma} in every community. Edge {@code e} picks its
 * source by that weight among all nodes; its target lies in the source's community with
 * probability {@code 1 - mu} and in another community, chosen uniformly, with probability {@code
 * mu}, again by weight. Features are the community's mean, a seeded vector of +1/-1 entries, plus
 * Gaussian noise of standard deviation {@code noise}; the generate job splits the nodes 60/20/20
 * by a hash of the id.
 *
 * <p>Edge {@code e} and node {@code i} are pure functions of (seed, e) and (seed, i), so any slicing
 * over tasks writes the same graph. Edges are undirected samples, which the generate job writes in
 * both directions; ingest drops the repeats and self-loops the sampling makes.
 */
public final class Sbm implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long nodes;
  private final double averageDegree;
  private final int classes;
  private final double mixing;
  private final int featureWidth;
  private final double noise;
  private final double gamma;
  private final long seed;
  /** 1 - 1/(gamma - 1): the exponent of the weight's integral. */
  private final double beta;

  /**
   * @param averageDegree expected degree of a node after symmetrisation (edge samples are {@code
   *     nodes * averageDegree / 2})
   * @param mixing the share of a node's edges that leave its community, in [0, 1]
   * @param gamma the degree distribution's power-law exponent, above 2
   */
  public Sbm(long nodes, double averageDegree, int classes, double mixing, int featureWidth, double noise,
      double gamma, long seed) {
    if (classes < 2) {
      throw new DqInputException("--classes must be at least 2, got " + classes);
    }
    if (nodes < classes) {
      throw new DqInputException("--nodes (" + nodes + ") must be at least --classes (" + classes + ")");
    }
    if (!(averageDegree > 0) || averageDegree >= nodes) {
      throw new DqInputException("--average-degree must be above 0 and below --nodes (" + nodes + "), got "
          + averageDegree);
    }
    if (!(mixing >= 0 && mixing <= 1)) {
      throw new DqInputException("--mixing (mu, the share of edges leaving a community) must be in [0, 1], got "
          + mixing);
    }
    if (featureWidth < 1) {
      throw new DqInputException("--feature-width must be at least 1, got " + featureWidth);
    }
    if (!(noise >= 0) || Double.isInfinite(noise)) {
      throw new DqInputException("--noise must be a finite standard deviation >= 0, got " + noise);
    }
    if (!(gamma > 2) || Double.isInfinite(gamma)) {
      throw new DqInputException("--degree-exponent must be above 2 (a finite mean degree), got " + gamma);
    }
    this.nodes = nodes;
    this.averageDegree = averageDegree;
    this.classes = classes;
    this.mixing = mixing;
    this.featureWidth = featureWidth;
    this.noise = noise;
    this.gamma = gamma;
    this.seed = seed;
    this.beta = 1 - 1 / (gamma - 1);
  }

  /** Undirected edge samples to draw. */
  public long edgeSamples() {
    return Math.round(nodes * averageDegree / 2);
  }

  public long nodes() {
    return nodes;
  }

  /** The community (label) of node {@code i}. */
  public int community(long i) {
    return (int) (i % classes);
  }

  /** Fills {@code out[0] = src, out[1] = dst} for edge sample {@code e}. */
  public void edge(long e, long[] out) {
    long state = Rmat.mix(seed ^ Rmat.mix(e + 0x3C6EF372FE94F82BL));
    state += 0x9E3779B97F4A7C15L;
    int from = (int) Math.floorMod(Rmat.mix(state), (long) classes);
    state += 0x9E3779B97F4A7C15L;
    out[0] = node(from, rank(from, unit(Rmat.mix(state))));
    state += 0x9E3779B97F4A7C15L;
    int to = from;
    if (unit(Rmat.mix(state)) < mixing) {
      state += 0x9E3779B97F4A7C15L;
      int other = (int) Math.floorMod(Rmat.mix(state), (long) (classes - 1));
      to = other >= from ? other + 1 : other;
    }
    state += 0x9E3779B97F4A7C15L;
    out[1] = node(to, rank(to, unit(Rmat.mix(state))));
  }

  /** Node {@code i}'s features: its community's mean plus Gaussian noise. */
  public float[] features(long i) {
    int c = community(i);
    float[] f = new float[featureWidth];
    long state = Rmat.mix(i ^ Rmat.mix(seed + 0x5DEECE66DL));
    for (int k = 0; k < featureWidth; k += 2) {
      state += 0x9E3779B97F4A7C15L;
      double u1 = (Rmat.mix(state) >>> 11 | 1L) * 0x1.0p-53; // in (0, 1): log is finite
      state += 0x9E3779B97F4A7C15L;
      double u2 = unit(Rmat.mix(state));
      double radius = Math.sqrt(-2 * Math.log(u1));
      f[k] = (float) (mean(c, k) + noise * radius * Math.cos(2 * Math.PI * u2));
      if (k + 1 < featureWidth) {
        f[k + 1] = (float) (mean(c, k + 1) + noise * radius * Math.sin(2 * Math.PI * u2));
      }
    }
    return f;
  }

  /** Component {@code k} of community {@code c}'s mean: a seeded sign. */
  double mean(int c, int k) {
    return (Rmat.mix(seed * 0x100000001B3L + c * 0x10001L + k) & 1) == 0 ? 1.0 : -1.0;
  }

  /** Nodes of community {@code c}: ids c, c + C, c + 2C, ... below {@code nodes}. */
  long size(int c) {
    return (nodes - c + classes - 1) / classes;
  }

  /**
   * The rank drawn with probability proportional to {@code (rank + 1)^(-1/(gamma-1))}, by
   * inverting the weight's integral over [0, size): continuous, then floored.
   */
  long rank(int c, double u) {
    long n = size(c);
    double lo = 1;
    double hi = Math.pow(n + 1, beta);
    double x = Math.pow(lo + u * (hi - lo), 1 / beta) - 1;
    return Math.min(n - 1, Math.max(0, (long) x));
  }

  private long node(int c, long rank) {
    return rank * classes + c;
  }

  private static double unit(long bits) {
    return (bits >>> 11) * 0x1.0p-53;
  }
}
