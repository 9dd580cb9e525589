package io.dqspark.gnn;

import org.nd4j.linalg.factory.Nd4j;

/**
 * The one way the training code seeds ND4J's random generator (weight initialisation, dropout,
 * GAT's attention dropout), directly or through a network configuration's {@code seed}.
 *
 * <p>ND4J's native CPU generator (libnd4j's {@code RandomGenerator::setStates}, reached from
 * {@code Nd4j.getRandom().setSeed}) replaces a root seed of 0 by the current time in
 * milliseconds, while {@code getSeed()} still answers 0. A run with seed 0 was therefore a fresh
 * random draw every time, in every JVM and even twice in one JVM (design §7.1). Every seed goes
 * through {@link #nativeSeed} first: non-zero seeds are passed on unchanged, so their runs are
 * what they always were, and 0 becomes {@link #ZERO_STANDS_FOR}, a constant outside the int
 * range (seeds given in conf files, on the command line and by {@code reproduce} are ints, so no
 * user seed shares its stream). The Degree-Quant masks do not use ND4J and keep the seed as given.
 */
public final class Nd4jSeeds {
  /** The native seed used for seed 0 (the 64-bit golden-ratio constant; not an int). */
  public static final long ZERO_STANDS_FOR = 0x9E3779B97F4A7C15L;

  private Nd4jSeeds() {}

  /** The seed to hand ND4J for {@code seed}: never 0, and {@code seed} itself when it is not 0. */
  public static long nativeSeed(long seed) {
    return seed == 0 ? ZERO_STANDS_FOR : seed;
  }

  /** Seeds this thread's ND4J generator with {@link #nativeSeed}{@code (seed)}. */
  public static void seed(long seed) {
    Nd4j.getRandom().setSeed(nativeSeed(seed));
  }
}
