package io.dqspark.jobs.pipeline.report;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes the report files into a run folder on any Hadoop file system, each under a hidden
 * temporary name first and renamed into place, so a reader never opens half a report.
 */
public final class ReportPublisher {
  private ReportPublisher() {}

  public static void publish(Configuration conf, String folder, Map<String, byte[]> files) {
    Path dir = new Path(folder);
    try {
      FileSystem fs = dir.getFileSystem(conf);
      fs.mkdirs(dir);
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        Path target = new Path(dir, f.getKey());
        Path temp = new Path(dir, "." + f.getKey() + ".tmp-" + UUID.randomUUID());
        try (OutputStream out = fs.create(temp, false)) {
          out.write(f.getValue());
        }
        if (fs.exists(target)) {
          fs.delete(target, false);
        }
        if (!fs.rename(temp, target)) {
          throw new IOException("rename " + temp + " -> " + target + " failed");
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the report into " + folder + ": " + e.getMessage(), e);
    }
  }
}
