package io.dqspark.jobs.score;

import io.dqspark.model.ModelManifest;
import io.dqspark.util.DqInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A published model directory ({@code ROOT/NAME/vN/}, design §3) as tasks see it: its qualified
 * path, the manifest's name/version/architecture, and the {@code model.dq8} file's length and
 * modification time. Resolved once on the driver and shipped with the tasks; it is the key of
 * {@link ModelCache}, so a directory rewritten in place is a new key rather than a stale hit.
 */
public record ModelRef(String dir, String name, int version, String task, String arch,
    int featureDim, int classes, boolean rowNormalize, List<Double> featureScale, List<Long> testGraphIds,
    long fileLength, long fileModified) implements Serializable {

  public static ModelRef resolve(Configuration conf, String dir) {
    try {
      Path root = new Path(dir);
      FileSystem fs = root.getFileSystem(conf);
      root = fs.makeQualified(root);
      if (!fs.isDirectory(root)) {
        throw new DqInputException("--model " + dir + " is not a model directory (it does not exist)");
      }
      if (!fs.exists(new Path(root, ModelManifest.SUCCESS))) {
        throw new DqInputException("--model " + dir + " has no " + ModelManifest.SUCCESS
            + ": the model was not published completely");
      }
      Path manifestPath = new Path(root, ModelManifest.FILE);
      if (!fs.exists(manifestPath)) {
        throw new DqInputException("--model " + dir + " has no " + ModelManifest.FILE);
      }
      String json;
      try (InputStream in = fs.open(manifestPath)) {
        json = new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8);
      }
      ModelManifest m = ModelManifest.fromJson(json, manifestPath.toString());
      Path dq8 = new Path(root, m.files.getOrDefault("quantized", ModelManifest.QUANTIZED));
      if (!fs.exists(dq8)) {
        throw new DqInputException("--model " + dir + " has no integer model file " + dq8.getName());
      }
      FileStatus st = fs.getFileStatus(dq8);
      return new ModelRef(root.toString(), m.name, m.version, m.task, m.arch, m.featureDim,
          m.classes, rowNormalized(m), m.featureScale == null ? null
              : java.util.Arrays.stream(m.featureScale).boxed().toList(),
          testGraphIds(m), st.getLen(), st.getModificationTime());
    } catch (IOException e) {
      throw new DqInputException("--model " + dir + ": cannot read the model directory: " + e.getMessage(), e);
    }
  }

  /**
   * Whether training divided each feature row by its sum: the train job records its settings under
   * {@code provenance.config.settings}, {@code row_normalize} among them. Scoring must feed the
   * model features prepared the same way.
   */
  static boolean rowNormalized(ModelManifest m) {
    Object config = m.provenance.get("config");
    if (config instanceof java.util.Map<?, ?> c && c.get("settings") instanceof java.util.Map<?, ?> s) {
      Object v = s.get("row_normalize");
      return v instanceof Boolean b ? b : Boolean.parseBoolean(String.valueOf(v));
    }
    return false;
  }

  /** The same model with feature row normalization forced on or off (a command-line override). */
  public ModelRef withRowNormalize(boolean on) {
    return new ModelRef(dir, name, version, task, arch, featureDim, classes, on, featureScale,
        testGraphIds, fileLength, fileModified);
  }

  /** The recorded column divisors as an array, or null when the model has none. */
  public double[] featureScaleArray() {
    return featureScale == null ? null : featureScale.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /**
   * Graph-level models: the ids of the graphs training held out for testing (the train job records
   * them under {@code provenance.data.test_graph_ids}); null when not recorded.
   */
  static List<Long> testGraphIds(ModelManifest m) {
    if (m.provenance.get("data") instanceof java.util.Map<?, ?> data
        && data.get("test_graph_ids") instanceof List<?> ids) {
      return ids.stream().map(id -> ((Number) id).longValue()).toList();
    }
    return null;
  }

  /** The integer model file of the directory. */
  public Path quantizedFile() {
    return new Path(dir, ModelManifest.QUANTIZED);
  }

  @Override
  public String toString() {
    return name + " v" + version + " (" + arch + ", " + task + ") at " + dir;
  }
}
