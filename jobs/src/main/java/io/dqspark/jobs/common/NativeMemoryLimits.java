package io.dqspark.jobs.common;

import java.lang.management.ManagementFactory;

/**
 * Caps ND4J's off-heap buffers so that the Java heap plus those buffers fit the machine. JavaCPP,
 * which allocates them, defaults to an off-heap limit as large as the heap and a resident-size limit
 * of twice the heap: with bin/dq's heap of 60% of memory that is more than the machine has, and a
 * long run was killed by the kernel's OOM killer with no Java error (design §7.4). Under these
 * limits JavaCPP first collects garbage (freeing dead arrays) and only then fails with an
 * OutOfMemoryError that names the limit. Must run before the first ND4J class loads; a limit the
 * user set with -D wins.
 */
public final class NativeMemoryLimits {
  /** Share of physical memory the whole process (heap, off-heap, JVM) may keep resident. */
  static final double RESIDENT_SHARE = 0.92;
  static final String MAX_BYTES = "org.bytedeco.javacpp.maxBytes";
  static final String MAX_PHYSICAL_BYTES = "org.bytedeco.javacpp.maxPhysicalBytes";
  private static final long MIN_OFF_HEAP = 1L << 30;

  private NativeMemoryLimits() {}

  /** Sets JavaCPP's two limits from this JVM's maximum heap and the machine's memory. */
  public static void apply() {
    long physical = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getTotalMemorySize();
    long[] limits = limits(physical, Runtime.getRuntime().maxMemory());
    if (System.getProperty(MAX_BYTES) == null) {
      System.setProperty(MAX_BYTES, "" + limits[0]);
    }
    if (System.getProperty(MAX_PHYSICAL_BYTES) == null) {
      System.setProperty(MAX_PHYSICAL_BYTES, "" + limits[1]);
    }
  }

  /** {off-heap limit, resident-size limit} in bytes for a machine and a maximum heap. */
  static long[] limits(long physicalBytes, long maxHeapBytes) {
    long resident = (long) (physicalBytes * RESIDENT_SHARE);
    long offHeap = Math.max(MIN_OFF_HEAP, resident - maxHeapBytes);
    return new long[] {offHeap, Math.max(resident, maxHeapBytes + offHeap)};
  }
}
