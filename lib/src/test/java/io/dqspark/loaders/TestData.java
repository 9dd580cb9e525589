package io.dqspark.loaders;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Where test data lives: the repository's {@code data/} (always) and the shared folder (dev machines only). */
public final class TestData {
  private TestData() {}

  /** The repository root: {@code dq.repo.root} as set by surefire, else the first parent holding {@code data/}. */
  static Path repoRoot() {
    String property = System.getProperty("dq.repo.root");
    if (property != null && Files.isDirectory(Paths.get(property, "data"))) {
      return Paths.get(property);
    }
    for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("data"))) {
        return dir;
      }
    }
    throw new IllegalStateException("cannot find the repository's data/ folder (set -Ddq.repo.root)");
  }

  public static Path repoData(String relative) {
    return repoRoot().resolve("data").resolve(relative);
  }

  /** The repository's bundled copy when it has one, else the development machines' shared data folder (may not exist in CI). */
  static Path shared(String relative) {
    Path bundled = Paths.get(System.getProperty("dq.repo.root", ".."), "data", relative);
    if (Files.exists(bundled)) {
      return bundled;
    }
    String property = System.getProperty("dq.shared.data");
    Path base = property != null && Files.isDirectory(Paths.get(property))
        ? Paths.get(property) : Paths.get("/work/shared/data");
    return base.resolve(relative);
  }

  static Path write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
