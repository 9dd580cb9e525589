package io.dqspark.jobs.common;

import io.dqspark.util.DqInputException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resolves a path setting: as given when it exists (absolute, or relative to the working folder),
 * else relative to the project folder ({@code dq.home}, set by bin/dq; {@code dq.repo.root} in
 * tests), so the shipped conf files and their bundled-data paths work from any folder.
 */
public final class ProjectPaths {
  private ProjectPaths() {}

  /** {@code key} names the setting in the error when the path exists nowhere. */
  public static String resolve(String path, String key) {
    if (path.matches("[A-Za-z][A-Za-z0-9+.-]+:.*")) {
      return path; // a Hadoop URI (file:, hdfs:, ...): not a local relative path
    }
    Path p = Path.of(path);
    if (Files.exists(p) || p.isAbsolute()) {
      return path;
    }
    for (String home : new String[] {System.getProperty("dq.home"), System.getProperty("dq.repo.root")}) {
      if (home != null && Files.exists(Path.of(home).resolve(path))) {
        return Path.of(home).resolve(path).normalize().toString();
      }
    }
    throw new DqInputException(key + " = " + path + ": no such file or folder (relative paths are taken"
        + " from the working folder, then from the project folder)");
  }
}
