package io.dqspark.jobs.score;

import io.dqspark.model.ModelReader;
import io.dqspark.model.QuantizedModel;
import io.dqspark.util.DqInputException;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkEnv;
import org.apache.spark.util.CollectionAccumulator;

/**
 * The models of this JVM: each {@link ModelRef} is read and prepared once, on first use, and shared
 * by every task and thread after that (design §5: never once per row or task). {@code
 * computeIfAbsent} makes concurrent first uses wait for one load instead of loading twice.
 * Entries are never evicted: a model is a few hundred KB and an executor scores few of them.
 */
public final class ModelCache {
  private static final ConcurrentHashMap<ModelRef, LoadedModel> MODELS = new ConcurrentHashMap<>();
  private static final AtomicLong LOADS = new AtomicLong();

  private ModelCache() {}

  /**
   * The model of {@code ref}, loading it if this JVM has not yet; a load is reported to {@code
   * loads} (when given) as this executor's id, so the driver can count loads per executor.
   */
  public static LoadedModel get(ModelRef ref, CollectionAccumulator<String> loads) {
    return MODELS.computeIfAbsent(ref, r -> {
      LoadedModel m = LoadedModel.of(r, read(r));
      LOADS.incrementAndGet();
      if (loads != null) {
        loads.add(executorId());
      }
      return m;
    });
  }

  /** How many models this JVM has read since it started (tests in local mode). */
  public static long loadsInThisJvm() {
    return LOADS.get();
  }

  static String executorId() {
    SparkEnv env = SparkEnv.get();
    return env == null ? "no-spark" : env.executorId();
  }

  private static QuantizedModel read(ModelRef ref) {
    Path file = ref.quantizedFile();
    try {
      FileSystem fs = file.getFileSystem(new Configuration());
      FileStatus st = fs.getFileStatus(file);
      if (st.getLen() != ref.fileLength() || st.getModificationTime() != ref.fileModified()) {
        throw new DqInputException(file + " changed after the job started (length " + st.getLen()
            + ", modified " + st.getModificationTime() + "; the driver saw " + ref.fileLength() + ", "
            + ref.fileModified() + "): model directories must not be rewritten in place");
      }
      try (InputStream in = fs.open(file)) {
        return ModelReader.read(in);
      } catch (DqInputException e) {
        throw new DqInputException(file + ": " + e.getMessage(), e);
      }
    } catch (IOException e) {
      throw new DqInputException("cannot read model " + file + ": " + e.getMessage(), e);
    }
  }
}
