package io.dqspark.jobs.bench;

import io.dqspark.jobs.common.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** A benchmark's {@code --json} file, written beside its target and renamed into place whole. */
public final class JsonFile {
  private JsonFile() {}

  public static void write(String file, Object value) {
    Path target = Path.of(file).toAbsolutePath();
    try {
      Files.createDirectories(target.getParent());
      Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
      try {
        Files.writeString(temp, Json.write(value) + "\n", StandardCharsets.UTF_8);
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("--json " + file + ": cannot write: " + e.getMessage(), e);
    }
  }
}
