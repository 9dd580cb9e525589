package io.dqspark.jobs.ingest;

import io.dqspark.graph.EdgeRules;
import io.dqspark.loaders.EdgeListFormat;
import picocli.CommandLine.Option;

/** The input options every job that reads a graph shares (a picocli mixin). */
public final class InputOptions {
  @Option(names = "--input", required = true, paramLabel = "PATH",
      description = "Input file or folder on any Hadoop file system (file://, hdfs://; s3a:// needs hadoop-aws on the classpath).")
  public String input;

  @Option(names = "--input-format", defaultValue = "auto", paramLabel = "FORMAT",
      description = "auto, planetoid, tu, edgelist, parquet or csv (default: ${DEFAULT-VALUE}).")
  public InputFormat format = InputFormat.AUTO;

  @Option(names = "--name", paramLabel = "NAME",
      description = "Dataset name (Planetoid: the NAME of ind.NAME.*; default: from the path).")
  public String name;

  @Option(names = "--header", defaultValue = "auto", paramLabel = "MODE",
      description = "Edge lists: is the first line a 'nodes edges' header? auto, present, absent.")
  public EdgeListFormat.HeaderMode header = EdgeListFormat.HeaderMode.AUTO;

  @Option(names = "--symmetrize", description = "Edge lists: add the reverse of every edge (undirected graphs).")
  public boolean symmetrize;

  @Option(names = "--keep-self-loops", description = "Keep src == dst edges (default: drop and count them).")
  public boolean keepSelfLoops;

  @Option(names = "--keep-duplicates", description = "Keep repeated edges (default: drop and count them).")
  public boolean keepDuplicates;

  @Option(names = "--drop-unknown",
      description = "Drop and count edges naming vertices the vertex table lacks (default: fail).")
  public boolean dropUnknown;

  /** Options as the command line would give them: {@code --input}, {@code --input-format}, {@code --name}. */
  public static InputOptions of(String input, InputFormat format, String name) {
    InputOptions o = new InputOptions();
    o.input = input;
    o.format = format;
    o.name = name;
    return o;
  }

  public EdgeRules.Options rules() {
    return new EdgeRules.Options(keepSelfLoops, keepDuplicates, dropUnknown);
  }

  /** The dataset name: --name, else the last path component without extension. */
  public String datasetName() {
    if (name != null && !name.isBlank()) {
      return name;
    }
    String path = input.replaceAll("/+$", "");
    String last = path.substring(path.lastIndexOf('/') + 1);
    int dot = last.indexOf('.');
    return dot > 0 ? last.substring(0, dot) : last;
  }
}
