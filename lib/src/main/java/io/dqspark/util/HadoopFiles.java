package io.dqspark.util;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Opens files on any Hadoop file system (file://, hdfs://, s3a://, or a bare local path), so that
 * loaders do not care where data lives. Missing files become {@link DqInputException}s that say
 * which file was expected.
 */
public final class HadoopFiles {
  private final Configuration conf;

  public HadoopFiles(Configuration conf) {
    this.conf = conf;
  }

  /** A configuration with Hadoop's defaults, for use outside Spark. */
  public static HadoopFiles withDefaults() {
    return new HadoopFiles(new Configuration());
  }

  public Configuration conf() {
    return conf;
  }

  public FileSystem fileSystem(Path path) {
    try {
      return path.getFileSystem(conf);
    } catch (IOException e) {
      throw new DqInputException("cannot reach the file system of " + path + ": " + e.getMessage(), e);
    }
  }

  public boolean exists(Path path) {
    try {
      return fileSystem(path).exists(path);
    } catch (IOException e) {
      throw new DqInputException("cannot check " + path + ": " + e.getMessage(), e);
    }
  }

  /** Opens a file that must exist; the error names it and what was looking for it. */
  public InputStream open(Path path, String what) {
    try {
      FileSystem fs = fileSystem(path);
      if (!fs.exists(path)) {
        throw new DqInputException(what + ": file not found: " + path);
      }
      if (fs.getFileStatus(path).isDirectory()) {
        throw new DqInputException(what + ": expected a file but found a directory: " + path);
      }
      return fs.open(path);
    } catch (IOException e) {
      throw new DqInputException(what + ": cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  public BufferedReader openText(Path path, String what) {
    return new BufferedReader(new InputStreamReader(open(path, what), StandardCharsets.UTF_8), 1 << 16);
  }

  public byte[] readAll(Path path, String what) {
    try (InputStream in = open(path, what)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new DqInputException(what + ": cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  /** Checks that a directory exists, naming the parameter it came from when it does not. */
  public void requireDirectory(Path dir, String what) {
    try {
      FileSystem fs = fileSystem(dir);
      if (!fs.exists(dir)) {
        throw new DqInputException(what + ": directory not found: " + dir);
      }
      if (!fs.getFileStatus(dir).isDirectory()) {
        throw new DqInputException(what + ": expected a directory but found a file: " + dir);
      }
    } catch (IOException e) {
      throw new DqInputException(what + ": cannot read " + dir + ": " + e.getMessage(), e);
    }
  }
}
