package io.dqspark.jobs.reproduce;

import io.dqspark.graph.EdgeRules;
import io.dqspark.graph.GraphDataset;
import io.dqspark.loaders.PlanetoidLoader;
import io.dqspark.loaders.TuLoader;
import io.dqspark.util.DqInputException;
import io.dqspark.util.HadoopFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds a dataset for {@code reproduce} from a name or a local folder: a bare Planetoid name
 * ({@code cora}) is looked up in the bundled {@code data/planetoid/}; a folder is Planetoid when it
 * holds {@code ind.NAME.x}, TU when it holds {@code NAME_A.txt}.
 */
public record DatasetSource(String label, Path dir, boolean planetoid, String name) {

  public static DatasetSource resolve(String dataset) {
    Path given = Paths.get(dataset);
    if (!dataset.contains("/") && !Files.isDirectory(given)) {
      Path home = Paths.get(System.getProperty("dq.home", "."));
      for (Path candidate : List.of(home.resolve("data/planetoid").resolve(dataset),
          home.resolve("../shared/data/planetoid").resolve(dataset + "-raw"))) {
        if (Files.isDirectory(candidate)) {
          return inspect(dataset, candidate);
        }
      }
      throw new DqInputException("--dataset " + dataset + ": no folder data/planetoid/" + dataset
          + " under " + home.toAbsolutePath().normalize() + "; give a Planetoid or TU folder");
    }
    if (!Files.isDirectory(given)) {
      throw new DqInputException("--dataset " + dataset + ": not a folder");
    }
    return inspect(given.getFileName().toString(), given);
  }

  private static DatasetSource inspect(String label, Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files.sorted()::iterator) {
        String n = f.getFileName().toString();
        if (n.startsWith("ind.") && n.endsWith(".x")) {
          String name = n.substring(4, n.length() - 2);
          return new DatasetSource(label.replace("-raw", ""), dir, true, name);
        }
        if (n.endsWith("_A.txt")) {
          String name = n.substring(0, n.length() - "_A.txt".length());
          return new DatasetSource(name, dir, false, name);
        }
      }
    } catch (IOException e) {
      throw new DqInputException("--dataset " + dir + ": cannot list: " + e.getMessage());
    }
    throw new DqInputException("--dataset " + dir + ": neither Planetoid (ind.NAME.x) nor TU (NAME_A.txt) files");
  }

  /**
   * The published cross-validation splits of a TU dataset, when a {@code splits/} folder beside the
   * TU folders holds {@code NAME_splits.json} or {@code NAME_full_splits.json} (Errica et al.'s
   * files; their PROTEINS_full numbers the same 1,113 graphs as PROTEINS).
   */
  public java.util.Optional<Path> splitsFile() {
    Path root = dir.toAbsolutePath().normalize().getParent();
    if (planetoid || root == null || root.getParent() == null) {
      return java.util.Optional.empty();
    }
    Path splits = root.getParent().resolve("splits");
    for (String f : List.of(name + "_splits.json", name + "_full_splits.json")) {
      if (Files.isRegularFile(splits.resolve(f))) {
        return java.util.Optional.of(splits.resolve(f));
      }
    }
    return java.util.Optional.empty();
  }

  public GraphDataset load() {
    HadoopFiles files = HadoopFiles.withDefaults();
    String uri = dir.toAbsolutePath().normalize().toString();
    return planetoid
        ? PlanetoidLoader.load(files, uri, name, EdgeRules.Options.DEFAULT)
        : TuLoader.load(files, uri, name, EdgeRules.Options.DEFAULT);
  }
}
