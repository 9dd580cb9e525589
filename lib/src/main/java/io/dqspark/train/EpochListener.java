package io.dqspark.train;

/** Hears about every finished epoch (progress printing, metrics files). */
@FunctionalInterface
public interface EpochListener {
  EpochListener NONE = (epoch, validation, seconds) -> {};

  /** @param seconds wall time of the epoch's training steps */
  void epochDone(int epoch, Scores validation, double seconds);
}
