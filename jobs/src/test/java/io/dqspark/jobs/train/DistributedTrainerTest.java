package io.dqspark.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The progress line's estimate of the time left. */
class DistributedTrainerTest {
  @Test
  void timeLeftExtrapolatesTheRoundsSoFar() {
    assertEquals("12 epochs left, about 2 min", DistributedTrainer.timeLeft(4, 12, 40.0));
    assertEquals("4 epochs left, about 20 s", DistributedTrainer.timeLeft(4, 4, 20.0));
    assertEquals("last epoch", DistributedTrainer.timeLeft(16, 0, 300.0));
  }
}
