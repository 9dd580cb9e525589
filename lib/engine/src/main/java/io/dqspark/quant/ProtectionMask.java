package io.dqspark.quant;

import io.dqspark.util.DqInputException;

/**
 * Draws Degree-Quant's protective node mask: node {@code i} is protected in a training step with
 * probability {@code p_i} (the stats job's {@code mask_prob}), a fresh draw every step.
 *
 * <p>The draw for (seed, epoch, step, node) is a pure function of those four numbers, so masks
 * are reproducible across runs and do not depend on thread scheduling or on how many nodes were
 * drawn before: {@code key = mix(mix(mix(seed + G) + epoch * G) + step * G)}, then node
 * {@code v} gets {@code u = (mix(key + (v + 1) * G) >>> 11) * 2^-53} in [0, 1), i.e. the
 * {@code (v+1)}-th output of a SplitMix64 stream seeded with {@code key} ({@code mix} is
 * SplitMix64's finaliser, {@code G} its golden-ratio increment). The node is protected iff
 * {@code u < p_v}, so p = 0 never and p = 1 always protects. Pass global node ids when the same
 * node must get the same draw however the graph is partitioned or batched.
 */
public final class ProtectionMask {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  private static final double UNIT = 0x1.0p-53;

  private final long seed;

  public ProtectionMask(long seed) {
    this.seed = seed;
  }

  public long seed() {
    return seed;
  }

  /** Fills {@code out[i]} for node index {@code i}; returns how many nodes are protected. */
  public int sample(double[] prob, int epoch, long step, boolean[] out) {
    return sample(prob, null, epoch, step, out);
  }

  /**
   * Fills {@code out[i]} for the node with id {@code nodeIds[i]} ({@code null}: id = index) and
   * probability {@code prob[i]}; returns how many nodes are protected.
   */
  public int sample(double[] prob, long[] nodeIds, int epoch, long step, boolean[] out) {
    int n = prob.length;
    if (out.length != n || (nodeIds != null && nodeIds.length != n)) {
      throw new IllegalArgumentException("mask_prob, node ids and mask lengths differ: " + n + ", "
          + (nodeIds == null ? n : nodeIds.length) + ", " + out.length);
    }
    long key = stepKey(epoch, step);
    int count = 0;
    for (int i = 0; i < n; i++) {
      double p = prob[i];
      if (!(p >= 0 && p <= 1)) {
        throw new DqInputException("mask_prob[" + i + "] must be in [0, 1], got " + p);
      }
      long node = nodeIds == null ? i : nodeIds[i];
      boolean protect = unit(key, node) < p;
      out[i] = protect;
      count += protect ? 1 : 0;
    }
    return count;
  }

  /** The uniform draw in [0, 1) for one node; {@link #sample} compares it with the node's p. */
  public double uniform(int epoch, long step, long node) {
    return unit(stepKey(epoch, step), node);
  }

  /** Throws a {@link DqInputException} naming the first probability outside [0, 1]. */
  public static void checkProbabilities(double[] prob) {
    for (int i = 0; i < prob.length; i++) {
      if (!(prob[i] >= 0 && prob[i] <= 1)) {
        throw new DqInputException("mask_prob[" + i + "] must be in [0, 1], got " + prob[i]);
      }
    }
  }

  private long stepKey(int epoch, long step) {
    return mix(mix(mix(seed + GOLDEN) + epoch * GOLDEN) + step * GOLDEN);
  }

  private static double unit(long key, long node) {
    return (mix(key + (node + 1) * GOLDEN) >>> 11) * UNIT;
  }

  /** SplitMix64's output function (Stafford's Mix13): a bijection with good avalanche. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
