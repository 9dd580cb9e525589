package io.dqspark.jobs.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The move grants keep every part's expected size between the floor and the capacity. */
class MoveProbabilitiesTest {

  @Test
  void expectedNetFlowStaysWithinRoomAndSlack() {
    Random rnd = new Random(11);
    for (int trial = 0; trial < 2000; trial++) {
      int k = 2 + rnd.nextInt(7);
      long[] load = new long[k];
      long[][] demand = new long[k][k];
      double mean = 1000;
      double capacity = 1025;
      double floor = 975;
      for (int i = 0; i < k; i++) {
        load[i] = (long) (floor + rnd.nextInt((int) (capacity - floor) + 1));
        for (int j = 0; j < k; j++) {
          demand[i][j] = i == j ? 0 : rnd.nextInt(4) == 0 ? 0 : rnd.nextInt((int) mean / k);
        }
      }
      double[] p = BalancedLabelPropagation.moveProbabilities(demand, load, capacity, floor);
      for (int part = 0; part < k; part++) {
        double net = 0;
        for (int other = 0; other < k; other++) {
          net += demand[other][part] * p[other * k + part] - demand[part][other] * p[part * k + other];
        }
        assertTrue(load[part] + net <= capacity + 1e-9, "part " + part + " would exceed the capacity");
        assertTrue(load[part] + net >= floor - 1e-9, "part " + part + " would drop below the floor");
      }
      for (double x : p) {
        assertTrue(x >= 0 && x <= BalancedLabelPropagation.MAX_MOVE + 1e-12);
      }
    }
  }

  @Test
  void oppositeMovesAreGrantedAsSwapsEvenWhenPartsAreFull() {
    long[][] demand = {{0, 100}, {40, 0}};
    long[] load = {1025, 1025};
    double[] p = BalancedLabelPropagation.moveProbabilities(demand, load, 1025, 975);
    // Both parts are at capacity: only the 40 swaps can happen, damped to MAX_MOVE.
    assertEquals(BalancedLabelPropagation.MAX_MOVE * 40 / 100, p[1], 1e-12);
    assertEquals(BalancedLabelPropagation.MAX_MOVE, p[2], 1e-12);
  }
}
