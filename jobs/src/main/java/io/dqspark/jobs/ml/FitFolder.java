package io.dqspark.jobs.ml;

import io.dqspark.util.DqInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The folder one {@code fit} works in, {@code WORK/fit-UUID/}: the DataFrames written as canonical
 * tables ({@code input/}) for the train job's shard preparation and driver evaluation, and the
 * shards prepared from them ({@code shards/}) and the published model ({@code models/NAME/v1}). After training only the model is kept: it is what the fitted
 * {@link QuantizedGnnModel} scores with until it is saved elsewhere.
 */
final class FitFolder {
  private final FileSystem fs;
  private final Path root;

  private FitFolder(FileSystem fs, Path root) {
    this.fs = fs;
    this.root = root;
  }

  /** @param workDir a Hadoop folder every executor can read; empty: a local temporary folder (local mode) */
  static FitFolder create(Configuration conf, String workDir) {
    try {
      Path base = workDir == null || workDir.isBlank()
          ? new Path(Files.createTempDirectory("dq-fit-").toUri())
          : new Path(workDir);
      FileSystem fs = base.getFileSystem(conf);
      Path root = fs.makeQualified(new Path(base, "fit-" + UUID.randomUUID()));
      if (!fs.mkdirs(root)) {
        throw new IOException("mkdirs failed");
      }
      return new FitFolder(fs, root);
    } catch (IOException e) {
      throw new DqInputException("workDir = '" + workDir + "': cannot create a work folder: " + e.getMessage(), e);
    }
  }

  String input() {
    return new Path(root, "input").toString();
  }

  String shards() {
    return new Path(root, "shards").toString();
  }

  String models() {
    return new Path(root, "models").toString();
  }

  /** Removes the input tables and the shards, keeping {@code models/NAME/vN}. */
  void removeIntermediates() {
    try {
      fs.delete(new Path(input()), true);
      fs.delete(new Path(shards()), true);
    } catch (IOException e) {
      org.slf4j.LoggerFactory.getLogger(FitFolder.class).warn("could not clean {}: {}", root, e.getMessage());
    }
  }
}
