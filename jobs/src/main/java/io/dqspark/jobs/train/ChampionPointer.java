package io.dqspark.jobs.train;

import io.dqspark.jobs.common.ExclusiveFile;
import io.dqspark.util.DqInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/**
 * {@code ROOT/NAME/CHAMPION}: one line naming the version scorers should use ({@code v3}). It
 * changes only by {@link #compareAndSet}: under {@code CHAMPION.lock} (created exclusively: atomic on
 * HDFS and, through an exclusive create, on local disks, so it also excludes other processes), the pointer is
 * re-read and replaced only if it still names the version the caller started from; the new pointer
 * is written aside and renamed over the old one, so a reader never sees a missing or partial file.
 */
public final class ChampionPointer {
  public static final String FILE = "CHAMPION";
  private static final long WAIT_MILLIS = 30_000;

  private final Configuration conf;
  private final FileSystem fs;
  private final boolean local;
  private final Path pointer;
  private final Path lock;

  public ChampionPointer(Configuration conf, Path modelRoot) {
    try {
      this.conf = conf;
      FileSystem f = modelRoot.getFileSystem(conf);
      // Hadoop's checksummed local file system keeps a .crc beside each file and renames the two one
      // after the other, so a reader can pair a new pointer with the old checksum (seen with eight
      // racing retrains); a pointer of a few bytes needs no checksum, and a raw rename is atomic.
      this.local = f instanceof LocalFileSystem;
      this.fs = local ? ((LocalFileSystem) f).getRawFileSystem() : f;
      this.pointer = new Path(modelRoot, FILE);
      this.lock = new Path(modelRoot, FILE + ".lock");
    } catch (IOException e) {
      throw new DqInputException(modelRoot + ": " + e.getMessage(), e);
    }
  }

  /** The champion version's folder name, or null when there is no champion yet. */
  public String read() {
    try {
      if (!fs.exists(pointer)) {
        return null;
      }
      try (InputStream in = fs.open(pointer)) {
        String v = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!v.matches("v\\d+")) {
          throw new DqInputException(pointer + ": expected a version such as v3, found '" + v + "'");
        }
        return v;
      }
    } catch (IOException e) {
      throw new DqInputException(pointer + ": cannot read: " + e.getMessage(), e);
    }
  }

  /**
   * Runs {@code publish} and points at what it returns, if the pointer still names {@code expected}
   * (null: no champion). Returns false, without running {@code publish}, when another run changed
   * the pointer first.
   */
  public boolean compareAndSet(String expected, java.util.function.Supplier<String> publish) {
    acquire();
    try {
      if (!Objects.equals(read(), expected)) {
        return false;
      }
      String next = publish.get();
      Path tmp = new Path(pointer.getParent(), "." + FILE + ".tmp-" + UUID.randomUUID());
      try (OutputStream out = fs.create(tmp, false)) {
        out.write((next + "\n").getBytes(StandardCharsets.UTF_8));
      }
      if (local) {
        if (!fs.rename(tmp, pointer)) { // rename(2): replaces the old pointer atomically
          throw new IOException("rename " + tmp + " -> " + pointer + " failed");
        }
      } else {
        FileContext.getFileContext(pointer.toUri(), conf).rename(tmp, pointer, Options.Rename.OVERWRITE);
      }
      return true;
    } catch (IOException e) {
      throw new IllegalStateException("cannot update " + pointer, e);
    } finally {
      release();
    }
  }

  private void acquire() {
    long deadline = System.currentTimeMillis() + WAIT_MILLIS;
    byte[] owner = (ManagementFactory.getRuntimeMXBean().getName() + " " + java.time.Instant.now())
        .getBytes(StandardCharsets.UTF_8);
    while (!tryCreateLock(owner)) {
      if (System.currentTimeMillis() > deadline) {
        throw new DqInputException(lock + " has been held for " + WAIT_MILLIS / 1000 + " s; if no"
            + " retrain is running, a crashed one left it: remove it");
      }
      sleep();
    }
  }

  /** Creates the lock file only if it does not exist, atomically ({@link ExclusiveFile}). */
  private boolean tryCreateLock(byte[] owner) {
    try {
      return ExclusiveFile.tryCreate(fs, lock, owner);
    } catch (IOException e) {
      throw new IllegalStateException("cannot create " + lock, e);
    }
  }

  private void release() {
    try {
      fs.delete(lock, false);
    } catch (IOException e) {
      throw new IllegalStateException("cannot remove " + lock, e);
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for the champion lock", e);
    }
  }
}
