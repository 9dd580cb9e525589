package io.dqspark.jobs.train;

import io.dqspark.graph.EdgeRules;
import io.dqspark.graph.GraphDataset;
import io.dqspark.graph.GraphLevel;
import io.dqspark.jobs.reproduce.DatasetSource;
import io.dqspark.loaders.CanonicalTablesReader;
import io.dqspark.util.DqInputException;
import io.dqspark.util.HadoopFiles;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The {@code input} setting of a run, read as the driver reads it: canonical Parquet tables
 * ({@code vertices/}, {@code edges/}: the ingest job's output, or what the Spark ML estimator
 * writes) for one big graph, else a Planetoid or TU folder. Raw: graph-level feature scaling and
 * folds are the run's business ({@link DriverData}).
 */
public final class TrainInput {
  private TrainInput() {}

  public static GraphDataset read(String input) {
    if (!isCanonicalTables(input)) {
      return DatasetSource.resolve(input).load();
    }
    // cleaned by the lib's rule, as the ingest job's Spark cleaning does
    GraphDataset raw = CanonicalTablesReader.read(HadoopFiles.withDefaults(), input, null,
        CanonicalTablesReader.TableFormat.PARQUET, EdgeRules.Options.DEFAULT);
    if (raw.level() != GraphLevel.NODE) {
      throw new DqInputException("input = " + input + ": canonical tables train one big graph only;"
          + " give graph-level data as a TU folder");
    }
    return raw;
  }

  /** A folder of canonical Parquet tables: {@code vertices/} and {@code edges/}, no raw dataset files. */
  static boolean isCanonicalTables(String input) {
    try {
      Path dir = new Path(input);
      FileSystem fs = dir.getFileSystem(new Configuration());
      return fs.isDirectory(new Path(dir, "vertices")) && fs.isDirectory(new Path(dir, "edges"));
    } catch (IOException e) {
      throw new DqInputException("input = " + input + ": cannot read: " + e.getMessage(), e);
    }
  }
}
