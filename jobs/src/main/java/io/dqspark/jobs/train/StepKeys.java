package io.dqspark.jobs.train;

/**
 * The key of one worker step, from (seed, epoch, part, step): it goes into the example's header,
 * where it seeds Degree-Quant's protection mask (through the layers' graph key) and the worker's
 * dropout ({@link StepSeedHook}). Kept below 2^24 so a float header holds it exactly.
 */
final class StepKeys {
  private StepKeys() {}

  static long key(long seed, int epoch, int part, int step) {
    long h = mix(seed ^ 0x9E3779B97F4A7C15L);
    h = mix(h ^ epoch);
    h = mix(h ^ ((long) part << 32));
    h = mix(h ^ step);
    return h & 0xFFFFFF;
  }

  /** SplitMix64's finaliser. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
