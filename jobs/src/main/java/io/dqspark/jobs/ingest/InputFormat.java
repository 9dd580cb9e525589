package io.dqspark.jobs.ingest;

import io.dqspark.util.DqInputException;
import io.dqspark.util.HadoopFiles;
import java.io.IOException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** The input formats the jobs read; {@link #AUTO} looks at the files to decide. */
public enum InputFormat {
  AUTO,
  /** Planetoid {@code ind.NAME.*} pickles (Cora, Citeseer, PubMed). */
  PLANETOID,
  /** TU Dortmund raw text ({@code NAME_A.txt}, graph indicator, labels, attributes). */
  TU,
  /** A plain edge list file or folder of part files (SNAP style). */
  EDGELIST,
  /** Canonical tables ({@code vertices/}, {@code edges/}, optional {@code graphs/}) in Parquet. */
  PARQUET,
  /** Canonical tables in CSV with a header line. */
  CSV;

  /** Resolves {@link #AUTO} by looking at what is at {@code input}. */
  public InputFormat resolve(HadoopFiles files, String input) {
    if (this != AUTO) {
      return this;
    }
    Path path = new Path(input);
    try {
      FileSystem fs = files.fileSystem(path);
      if (!fs.exists(path)) {
        throw new DqInputException("--input " + input + ": no such file or directory");
      }
      if (!fs.getFileStatus(path).isDirectory()) {
        return EDGELIST;
      }
      if (fs.exists(new Path(path, "vertices"))) {
        for (FileStatus f : fs.listStatus(new Path(path, "vertices"))) {
          String n = f.getPath().getName();
          if (n.endsWith(".csv") || n.contains(".csv.")) {
            return CSV;
          }
        }
        return PARQUET;
      }
      for (FileStatus f : fs.listStatus(path)) {
        String n = f.getPath().getName();
        if (n.startsWith("ind.") && n.endsWith(".x")) {
          return PLANETOID;
        }
        if (n.endsWith("_A.txt")) {
          return TU;
        }
      }
      return EDGELIST;
    } catch (IOException e) {
      throw new DqInputException("--input " + input + ": cannot read: " + e.getMessage(), e);
    }
  }
}
