package io.dqspark.it.cluster;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/** A jar holding just the given classes (and their nested classes), as a user's application jar. */
final class UserJar {
  private UserJar() {}

  static Path of(Path jar, Class<?>... classes) throws IOException {
    try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
      for (Class<?> c : classes) {
        Path root;
        try {
          root = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
          throw new IOException(e);
        }
        Path dir = root.resolve(c.getPackageName().replace('.', '/'));
        String prefix = c.getSimpleName();
        try (var files = Files.list(dir)) {
          for (Path f : files.filter(p -> p.getFileName().toString().equals(prefix + ".class")
              || p.getFileName().toString().startsWith(prefix + "$")).toList()) {
            out.putNextEntry(new JarEntry(root.relativize(f).toString().replace('\\', '/')));
            Files.copy(f, out);
            out.closeEntry();
          }
        }
      }
    }
    return jar;
  }
}
