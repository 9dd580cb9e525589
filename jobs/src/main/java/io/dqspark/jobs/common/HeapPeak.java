package io.dqspark.jobs.common;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * The most heap this JVM used over an interval: the pipeline reports it per stage (issue 16). In
 * Spark's local mode the executors are threads of this JVM, so it is the driver's and the
 * executors' peak together. Each heap pool's own peak is summed, so the figure can exceed the true
 * simultaneous peak by what one pool freed before another filled: an upper bound, capped at the
 * heap's limit (the 1M-node run's training summed to 19.4 GB in a 14 GB heap).
 */
public final class HeapPeak {
  private HeapPeak() {}

  /** Starts a new interval: every heap pool's peak drops to its current use. */
  public static void reset() {
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP && p.isValid()) {
        p.resetPeakUsage();
      }
    }
  }

  /** Bytes: the sum of every heap pool's peak since the last {@link #reset}, at most {@link #maxBytes}. */
  public static long bytes() {
    long sum = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP && p.isValid() && p.getPeakUsage() != null) {
        sum += p.getPeakUsage().getUsed();
      }
    }
    return Math.min(sum, maxBytes());
  }

  /** The heap limit ({@code -Xmx}), for saying how close a peak came to it. */
  public static long maxBytes() {
    return Runtime.getRuntime().maxMemory();
  }
}
