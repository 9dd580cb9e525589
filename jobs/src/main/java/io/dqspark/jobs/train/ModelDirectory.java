package io.dqspark.jobs.train;

import io.dqspark.jobs.common.ExclusiveFile;
import java.lang.management.ManagementFactory;

import io.dqspark.jobs.common.AtomicOutput;
import io.dqspark.model.ModelManifest;
import io.dqspark.util.DqInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

/**
 * The versioned model folders {@code ROOT/NAME/vN/} (design §3): which versions exist, the next
 * one, publishing a version through {@link AtomicOutput} (written aside, {@code _SUCCESS} last,
 * renamed into place; an existing version is never replaced) and reading a published one back.
 */
public final class ModelDirectory {
  private static final Pattern VERSION = Pattern.compile("v(\\d+)");

  private final Configuration conf;
  private final FileSystem fs;
  private final Path modelRoot;

  public ModelDirectory(Configuration conf, String root, String name) {
    if (!name.matches("[A-Za-z0-9_.-]+")) {
      throw new DqInputException("name = '" + name + "': use letters, digits, '.', '_' or '-'");
    }
    try {
      Path r = new Path(root, name);
      this.conf = conf;
      this.fs = r.getFileSystem(conf);
      this.modelRoot = fs.makeQualified(r);
    } catch (IOException e) {
      throw new DqInputException("--out " + root + ": " + e.getMessage(), e);
    }
  }

  /** {@code ROOT/NAME}. */
  public Path root() {
    return modelRoot;
  }

  public Path version(int v) {
    return new Path(modelRoot, "v" + v);
  }

  /** The highest published version (a {@code vN} folder with {@code _SUCCESS}), 0 when none. */
  public int latest() {
    try {
      if (!fs.exists(modelRoot)) {
        return 0;
      }
      int max = 0;
      for (FileStatus s : fs.listStatus(modelRoot)) {
        Matcher m = VERSION.matcher(s.getPath().getName());
        if (s.isDirectory() && m.matches()) {
          max = Math.max(max, Integer.parseInt(m.group(1)));
        }
      }
      return max;
    } catch (IOException e) {
      throw new DqInputException(modelRoot + ": cannot list versions: " + e.getMessage(), e);
    }
  }

  /** Fails, naming the folder, when version {@code v} is already there. */
  public void requireFree(int v) {
    try {
      if (fs.exists(version(v))) {
        throw new DqInputException(version(v) + " already holds a model version; versions are never"
            + " replaced (leave --version out to publish the next one)");
      }
    } catch (IOException e) {
      throw new DqInputException(version(v) + ": " + e.getMessage(), e);
    }
  }

  /** Writes a version: the caller fills the temporary folder, {@code commit} publishes it. */
  public AtomicOutput begin(int v) {
    requireFree(v);
    return AtomicOutput.begin(conf, version(v).toString(), false);
  }

  /**
   * A version number reserved for one publisher by an exclusively created {@code .vN.claim} file,
   * so runs that finish together (two trains, or a train and a retrain) never pick the same
   * {@code vN}; closing it removes the claim. A claim left by a crashed run only makes later runs
   * skip that number.
   */
  public final class Claim implements AutoCloseable {
    private final int version;
    private final Path file;

    private Claim(int version, Path file) {
      this.version = version;
      this.file = file;
    }

    public int version() {
      return version;
    }

    @Override
    public void close() {
      try {
        fs.delete(file, false);
      } catch (IOException e) {
        throw new IllegalStateException("cannot remove " + file, e);
      }
    }
  }

  /** Claims the lowest version above every published or claimed one. */
  public Claim claimNext() {
    for (int v = latest() + 1; ; v++) {
      Claim c = tryClaim(v);
      if (c != null) {
        return c;
      }
    }
  }

  /** Claims version {@code v}; fails naming it when it exists or another run is publishing it. */
  public Claim claim(int v) {
    requireFree(v);
    Claim c = tryClaim(v);
    if (c == null) {
      throw new DqInputException(version(v) + " is being published by another run");
    }
    return c;
  }

  private Claim tryClaim(int v) {
    Path file = new Path(modelRoot, ".v" + v + ".claim");
    try {
      fs.mkdirs(modelRoot);
      if (fs.exists(version(v)) || !ExclusiveFile.tryCreate(fs, file,
          ManagementFactory.getRuntimeMXBean().getName().getBytes(StandardCharsets.UTF_8))) {
        return null;
      }
      if (fs.exists(version(v))) { // published between the check and the claim
        fs.delete(file, false);
        return null;
      }
      return new Claim(v, file);
    } catch (IOException e) {
      throw new DqInputException(file + ": cannot claim version " + v + ": " + e.getMessage(), e);
    }
  }

  /** Writes {@code net} (parameters and configuration, no optimizer state) to an output file. */
  public static void writeNetwork(AtomicOutput out, ComputationGraph net, Configuration conf) {
    Path file = new Path(out.tempPath(ModelManifest.NETWORK));
    try (OutputStream os = file.getFileSystem(conf).create(file, false)) {
      ModelSerializer.writeModel(net, os, false);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + file, e);
    }
  }

  public static void writeBytes(AtomicOutput out, String child, byte[] bytes, Configuration conf) {
    Path file = new Path(out.tempPath(child));
    try (OutputStream os = file.getFileSystem(conf).create(file, false)) {
      os.write(bytes);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + file, e);
    }
  }

  /** A published model: its manifest and network, refusing a folder without {@code _SUCCESS}. */
  public record Published(Path dir, ModelManifest manifest, ComputationGraph network) {}

  public static Published read(Configuration conf, String dir) {
    Path d = new Path(dir);
    try {
      FileSystem fs = d.getFileSystem(conf);
      if (!fs.exists(new Path(d, ModelManifest.SUCCESS))) {
        throw new DqInputException(dir + ": not a published model folder (no " + ModelManifest.SUCCESS + ")");
      }
      ModelManifest m;
      try (InputStream in = fs.open(new Path(d, ModelManifest.FILE))) {
        m = ModelManifest.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8),
            new Path(d, ModelManifest.FILE).toString());
      }
      ComputationGraph net;
      try (InputStream in = fs.open(new Path(d, ModelManifest.NETWORK))) {
        net = ModelSerializer.restoreComputationGraph(in, false);
      }
      return new Published(fs.makeQualified(d), m, net);
    } catch (IOException | RuntimeException e) {
      if (e instanceof DqInputException dq) {
        throw dq;
      }
      throw new DqInputException(dir + ": cannot read the model: " + e.getMessage(), e);
    }
  }
}
