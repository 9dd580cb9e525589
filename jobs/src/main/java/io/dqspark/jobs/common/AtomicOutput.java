package io.dqspark.jobs.common;

import io.dqspark.util.DqInputException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job's output folder, written under a hidden temporary sibling and renamed into place only on
 * {@link #commit()}, so a failed job never leaves something a later stage could take for a
 * finished result. A directory rename is atomic on HDFS and local disks; on object stores
 * (s3a) it is a copy, so there the {@code _SUCCESS} marker written last is what readers check.
 */
public final class AtomicOutput implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AtomicOutput.class);
  public static final String SUCCESS = "_SUCCESS";

  private final FileSystem fs;
  private final Path target;
  private final Path temp;
  private final boolean overwrite;
  private boolean committed;

  private AtomicOutput(FileSystem fs, Path target, Path temp, boolean overwrite) {
    this.fs = fs;
    this.target = target;
    this.temp = temp;
    this.overwrite = overwrite;
  }

  /** Refuses an existing output unless {@code overwrite}; the check is repeated at commit. */
  public static AtomicOutput begin(Configuration conf, String out, boolean overwrite) {
    try {
      Path target = new Path(out);
      FileSystem fs = target.getFileSystem(conf);
      target = fs.makeQualified(target);
      if (fs.exists(target) && !overwrite) {
        throw new DqInputException("--out " + out + " already exists; choose another folder or pass --overwrite");
      }
      Path parent = target.getParent();
      if (parent != null && !fs.exists(parent)) {
        fs.mkdirs(parent);
      }
      Path temp = new Path(parent, "." + target.getName() + ".tmp-" + UUID.randomUUID());
      fs.mkdirs(temp);
      return new AtomicOutput(fs, target, temp, overwrite);
    } catch (IOException e) {
      throw new DqInputException("--out " + out + ": cannot prepare the output folder: " + e.getMessage(), e);
    }
  }

  public Path target() {
    return target;
  }

  /** Where a table or file of this output is written before the commit. */
  public String tempPath(String child) {
    return new Path(temp, child).toString();
  }

  /** The temporary folder itself, for a job whose output is one table at the folder's root. */
  public String tempRoot() {
    return temp.toString();
  }

  public void writeText(String child, String content) {
    try (OutputStream out = fs.create(new Path(temp, child), true)) {
      out.write(content.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + child + " under " + temp, e);
    }
  }

  /** Writes {@code _SUCCESS} and moves the finished folder into place. */
  public void commit() {
    try {
      writeText(SUCCESS, "");
      Path old = null;
      if (fs.exists(target)) {
        if (!overwrite) {
          throw new DqInputException(target + " appeared while the job ran; refusing to replace it");
        }
        old = new Path(target.getParent(), "." + target.getName() + ".old-" + UUID.randomUUID());
        rename(target, old);
      }
      rename(temp, target);
      committed = true;
      if (old != null) {
        fs.delete(old, true);
      }
      LOG.info("published {}", target);
    } catch (IOException e) {
      throw new IllegalStateException("cannot publish " + target, e);
    }
  }

  private void rename(Path from, Path to) throws IOException {
    if (!fs.rename(from, to)) {
      throw new IOException("rename " + from + " -> " + to + " failed");
    }
  }

  /** Removes the temporary folder unless the output was committed. */
  @Override
  public void close() {
    if (!committed) {
      try {
        fs.delete(temp, true);
      } catch (IOException e) {
        LOG.warn("could not remove temporary output {}: {}", temp, e.getMessage());
      }
    }
  }
}
