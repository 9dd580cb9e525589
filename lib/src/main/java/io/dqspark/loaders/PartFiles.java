package io.dqspark.loaders;

import io.dqspark.util.DqInputException;
import io.dqspark.util.HadoopFiles;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Lists the data files of a path the way Hadoop writers lay them out: a single file, or a
 * directory of part files read in name order so that row order is reproducible. Names starting
 * with {@code _} or {@code .} ({@code _SUCCESS}, {@code .crc} checksums) are bookkeeping, not data.
 */
final class PartFiles {
  private PartFiles() {}

  /** The path itself when it is a file, else its data files in name order (at least one). */
  static List<Path> fileOrParts(HadoopFiles files, Path path, String what) {
    FileStatus status = status(files, path, what);
    if (!status.isDirectory()) {
      return List.of(path);
    }
    List<Path> parts = list(files, path, name -> true, what);
    if (parts.isEmpty()) {
      throw new DqInputException(what + ": no data files in directory " + path);
    }
    return parts;
  }

  /** The data files of a table directory whose names match, in name order. */
  static List<Path> list(HadoopFiles files, Path dir, Predicate<String> accept, String what) {
    files.requireDirectory(dir, what);
    FileSystem fs = files.fileSystem(dir);
    List<Path> out = new ArrayList<>();
    try {
      for (FileStatus child : fs.listStatus(dir)) {
        String name = child.getPath().getName();
        if (child.isFile() && !name.startsWith("_") && !name.startsWith(".") && accept.test(name)) {
          out.add(child.getPath());
        }
      }
    } catch (IOException e) {
      throw new DqInputException(what + ": cannot list " + dir + ": " + e.getMessage(), e);
    }
    out.sort(Comparator.comparing(Path::getName));
    return out;
  }

  private static FileStatus status(HadoopFiles files, Path path, String what) {
    try {
      return files.fileSystem(path).getFileStatus(path);
    } catch (FileNotFoundException e) {
      throw new DqInputException(what + ": file not found: " + path);
    } catch (IOException e) {
      throw new DqInputException(what + ": cannot read " + path + ": " + e.getMessage(), e);
    }
  }
}
