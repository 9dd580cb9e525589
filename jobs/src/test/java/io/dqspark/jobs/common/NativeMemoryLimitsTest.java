package io.dqspark.jobs.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NativeMemoryLimitsTest {
  private static final long GB = 1L << 30;

  @Test
  void heapPlusOffHeapStaysWithinTheResidentShareOfTheMachine() {
    long physical = 24 * GB;
    long heap = (long) (physical * 0.6);
    long[] l = NativeMemoryLimits.limits(physical, heap);
    assertEquals((long) (physical * NativeMemoryLimits.RESIDENT_SHARE), l[1]);
    assertEquals(l[1] - heap, l[0]);
    assertTrue(heap + l[0] <= l[1], "heap + off-heap within the resident limit");
    assertTrue(l[1] < physical, "below the machine's memory, so JavaCPP fails before the kernel kills");
  }

  @Test
  void aHeapNearlyAsLargeAsTheMachineStillLeavesOneGigabyteOffHeap() {
    long[] l = NativeMemoryLimits.limits(8 * GB, 8 * GB);
    assertEquals(GB, l[0]);
    assertEquals(9 * GB, l[1]);
  }
}
