package io.dqspark.jobs.common;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * Creates a file only if it does not exist, atomically, across processes: the primitive behind the
 * champion lock and model-version claims. HDFS's {@code create(path, false)} is atomic at the
 * NameNode; Hadoop's local file system checks for the file and then creates it (two racing
 * creators can both succeed: eight racing retrains caught it), so on local disks the file is
 * created with the operating system's exclusive create ({@code O_EXCL}).
 */
public final class ExclusiveFile {
  private ExclusiveFile() {}

  /** True when this call created {@code path} with {@code content}; false when it already existed. */
  public static boolean tryCreate(FileSystem fs, Path path, byte[] content) throws IOException {
    if (fs instanceof LocalFileSystem || fs instanceof RawLocalFileSystem) {
      try {
        Files.write(Paths.get(fs.makeQualified(path).toUri()), content, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE);
        return true;
      } catch (java.nio.file.FileAlreadyExistsException e) {
        return false;
      }
    }
    try (OutputStream out = fs.create(path, false)) {
      out.write(content);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      if (e.getMessage() != null && e.getMessage().contains("already exists")) {
        return false; // HDFS wraps it in a RemoteException on some paths
      }
      throw e;
    }
  }
}
