package io.dqspark.jobs.train;

import io.dqspark.jobs.common.Json;
import io.dqspark.util.DqInputException;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Comparator;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A run's checkpoints: after every evaluated epoch a folder {@code eNNNNNN/} with the network and
 * its Adam state ({@code network.zip}), the best epoch's parameters ({@code best.bin}) and the
 * {@link Progress}, completed by {@code _SUCCESS}; then older folders are removed. A kill at any
 * moment leaves at least one complete folder, and {@code --resume} takes the newest complete one.
 */
final class Checkpoints {
  private static final String NETWORK = "network.zip";
  private static final String BEST = "best.bin";
  private static final String PROGRESS = "progress.json";
  private static final String DONE = "_SUCCESS";

  /** A loaded checkpoint. */
  record Loaded(ComputationGraph network, INDArray best, Progress progress, Path folder) {}

  private final FileSystem fs;
  private final Path dir;

  Checkpoints(Configuration conf, String dir) {
    try {
      Path p = new Path(dir);
      this.fs = p.getFileSystem(conf);
      this.dir = fs.makeQualified(p);
    } catch (IOException e) {
      throw new DqInputException("checkpoint folder " + dir + ": " + e.getMessage(), e);
    }
  }

  Path dir() {
    return dir;
  }

  boolean exists() {
    return latest() != null;
  }

  void save(ComputationGraph net, INDArray best, Progress progress) {
    Path folder = new Path(dir, String.format("e%06d", progress.nextEpoch));
    try {
      fs.delete(folder, true);
      fs.mkdirs(folder);
      try (OutputStream out = fs.create(new Path(folder, NETWORK))) {
        ModelSerializer.writeModel(net, out, true);
      }
      try (DataOutputStream out = new DataOutputStream(fs.create(new Path(folder, BEST)))) {
        Nd4j.write(best != null ? best : net.params(), out);
      }
      try (OutputStream out = fs.create(new Path(folder, PROGRESS))) {
        out.write(Json.mapper().writeValueAsBytes(progress));
      }
      fs.create(new Path(folder, DONE)).close();
      for (FileStatus s : fs.listStatus(dir)) {
        if (s.isDirectory() && !s.getPath().getName().equals(folder.getName())) {
          fs.delete(s.getPath(), true);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot write checkpoint " + folder, e);
    }
  }

  /** The newest complete checkpoint; a clear error when there is none or it cannot be read. */
  Loaded load() {
    Path folder = latest();
    if (folder == null) {
      throw new DqInputException("--resume: no complete checkpoint under " + dir
          + " (nothing to resume; run without --resume)");
    }
    try {
      ComputationGraph net;
      try (InputStream in = fs.open(new Path(folder, NETWORK))) {
        net = ModelSerializer.restoreComputationGraph(in, true);
      }
      INDArray best;
      try (DataInputStream in = new DataInputStream(fs.open(new Path(folder, BEST)))) {
        best = Nd4j.read(in);
      }
      Progress p;
      try (InputStream in = fs.open(new Path(folder, PROGRESS))) {
        p = Json.mapper().readValue(in, Progress.class);
      }
      if (best.length() != net.numParams() && best.length() != net.params().length()) {
        throw new IOException(BEST + " has " + best.length() + " values, the network " + net.params().length());
      }
      return new Loaded(net, best, p, folder);
    } catch (IOException | RuntimeException e) {
      throw new DqInputException("--resume: checkpoint " + folder + " is corrupt or unreadable: "
          + e.getMessage(), e);
    }
  }

  void clear() {
    try {
      fs.delete(dir, true);
    } catch (IOException e) {
      throw new IllegalStateException("cannot remove checkpoints " + dir, e);
    }
  }

  private Path latest() {
    try {
      if (!fs.exists(dir)) {
        return null;
      }
      return Arrays.stream(fs.listStatus(dir))
          .filter(FileStatus::isDirectory)
          .map(FileStatus::getPath)
          .filter(p -> p.getName().matches("e\\d{6}"))
          .filter(p -> {
            try {
              return fs.exists(new Path(p, DONE));
            } catch (IOException e) {
              return false;
            }
          })
          .max(Comparator.comparing(Path::getName))
          .orElse(null);
    } catch (IOException e) {
      throw new DqInputException("checkpoint folder " + dir + ": " + e.getMessage(), e);
    }
  }
}
