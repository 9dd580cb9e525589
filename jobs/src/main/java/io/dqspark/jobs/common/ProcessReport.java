package io.dqspark.jobs.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * When the system property {@code dq.report.file} names a file, the process writes its wall time,
 * exit code and peak resident memory there as it ends: how benchmarks measure one stage per JVM.
 */
public final class ProcessReport {
  public static final String PROPERTY = "dq.report.file";

  private ProcessReport() {}

  public static void writeIfRequested(int exitCode) {
    String file = System.getProperty(PROPERTY);
    if (file == null) {
      return;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("exit_code", exitCode);
    // From JVM start, so JVM and Spark start-up count: that is what a user waits for.
    m.put("wall_seconds", java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() / 1e3);
    m.put("peak_rss_kb", peakRssKb());
    try {
      Files.writeString(Path.of(file), Json.write(m));
    } catch (IOException e) {
      System.err.println("cannot write " + file + ": " + e.getMessage());
    }
  }

  /** VmHWM from /proc: the most resident memory this process ever had (Linux). */
  public static long peakRssKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
