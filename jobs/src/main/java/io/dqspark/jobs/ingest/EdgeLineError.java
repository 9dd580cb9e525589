package io.dqspark.jobs.ingest;

import io.dqspark.util.DqInputException;
import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * A malformed edge-list line found by a task. Tasks know only the byte offset of the line (Hadoop
 * splits files by bytes); the driver turns it into a line number by counting the newlines before
 * it, which is cheap because it happens once, on failure.
 */
public final class EdgeLineError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String file;
  private final long offset;
  private final String problem;

  public EdgeLineError(String file, long offset, String problem) {
    super(file + " at byte " + offset + ": " + problem);
    this.file = file;
    this.offset = offset;
    this.problem = problem;
  }

  /** The same error as {@code file:line: problem}. */
  public DqInputException toInputException(Configuration conf) {
    try {
      Path path = new Path(file);
      long line = 1;
      try (InputStream in = path.getFileSystem(conf).open(path)) {
        byte[] buf = new byte[1 << 16];
        long remaining = offset;
        while (remaining > 0) {
          int n = in.read(buf, 0, (int) Math.min(buf.length, remaining));
          if (n < 0) {
            break;
          }
          for (int i = 0; i < n; i++) {
            if (buf[i] == '\n') {
              line++;
            }
          }
          remaining -= n;
        }
      }
      return DqInputException.atLine(file, line, problem);
    } catch (IOException e) {
      return new DqInputException(getMessage(), this);
    }
  }

  /** Finds an EdgeLineError in a cause chain (Spark wraps task failures). */
  public static EdgeLineError find(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof EdgeLineError) {
        return (EdgeLineError) c;
      }
    }
    return null;
  }
}
