package io.dqspark.gnn;

import io.dqspark.graph.EdgeRules;
import io.dqspark.graph.GraphDataset;
import io.dqspark.loaders.TuLoader;
import io.dqspark.util.HadoopFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** MUTAG from the repository's {@code data/tu/MUTAG} (found via {@code dq.repo.root}), loaded once. */
final class Mutag {
  private static GraphDataset cached;

  private Mutag() {}

  static synchronized GraphDataset load() {
    if (cached == null) {
      cached = TuLoader.load(HadoopFiles.withDefaults(), dir().toString(), "MUTAG",
          EdgeRules.Options.DEFAULT);
    }
    return cached;
  }

  private static Path dir() {
    String root = System.getProperty("dq.repo.root");
    Path base = root != null ? Paths.get(root) : Paths.get("").toAbsolutePath();
    for (Path d = base; d != null; d = d.getParent()) {
      Path mutag = d.resolve("data/tu/MUTAG");
      if (Files.isDirectory(mutag)) {
        return mutag;
      }
    }
    throw new IllegalStateException("cannot find data/tu/MUTAG (set -Ddq.repo.root)");
  }
}
