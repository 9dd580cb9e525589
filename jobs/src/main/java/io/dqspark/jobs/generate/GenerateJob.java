package io.dqspark.jobs.generate;

import io.dqspark.jobs.DqCli;
import io.dqspark.jobs.common.AtomicOutput;
import io.dqspark.jobs.common.GraphSchemas;
import io.dqspark.jobs.common.Json;
import io.dqspark.jobs.common.SparkJob;
import io.dqspark.util.DqInputException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Writes a synthetic graph as Parquet tables ({@code edges/}, {@code vertices/}) from the
 * executors, in the user-table form that {@code ingest} cleans (both generators repeat edges and
 * make self-loops), deterministic by seed whatever the slicing.
 *
 * <ul>
 *   <li>{@code --model rmat}: R-MAT with seeded uniform [0, 1) features; with {@code --classes C} a
 *       node's label is the argmax of its first C features, which says little about its
 *       neighbours.
 *   <li>{@code --model sbm}: a degree-corrected stochastic block model ({@link Sbm}): power-law
 *       degrees, communities as labels, a mixing share {@code mu}, and noisy class-mean features,
 *       so that a GNN beats a per-node classifier (design §3.8).
 * </ul>
 * Nodes are split 60/20/20 into train/val/test by a hash of their id.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Generate an R-MAT graph (Graph500 a=0.57 b=0.19 c=0.19) with random features, or a"
        + " degree-corrected stochastic block model with community labels and noisy class-mean features.")
public final class GenerateJob extends SparkJob {
  @Option(names = "--model", defaultValue = "rmat", description = "rmat or sbm (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(names = "--scale", description = "rmat: 2^scale nodes.")
  Integer scale;

  @Option(names = "--nodes", description = "sbm: nodes.")
  Long nodes;

  @Option(names = "--average-degree", defaultValue = "16",
      description = "sbm: expected degree after symmetrisation, before duplicates are dropped (default: ${DEFAULT-VALUE}).")
  double averageDegree;

  @Option(names = "--mixing", defaultValue = "0.3",
      description = "sbm: mu, the share of a node's edges that leave its community, in [0, 1] (default: ${DEFAULT-VALUE}).")
  double mixing;

  @Option(names = "--noise", defaultValue = "5",
      description = "sbm: standard deviation of the Gaussian noise on the +1/-1 class means (default: ${DEFAULT-VALUE}).")
  double noise;

  @Option(names = "--degree-exponent", defaultValue = "2.5",
      description = "sbm: power-law exponent of the expected degrees, above 2 (default: ${DEFAULT-VALUE}).")
  double degreeExponent;

  @Option(names = "--edge-factor", defaultValue = "16", description = "Edges per node (default: ${DEFAULT-VALUE}).")
  int edgeFactor;

  @Option(names = "--feature-width", defaultValue = "16", description = "Features per node (default: ${DEFAULT-VALUE}).")
  int featureWidth;

  @Option(names = "--classes", description = "Label classes (rmat: 0 for none, the default; sbm: communities,"
      + " default 8).")
  Integer classes;

  @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--out", required = true, description = "Output folder, published atomically.")
  String out;

  @Option(names = "--overwrite", description = "Replace an existing output folder.")
  boolean overwrite;

  public static void main(String[] args) {
    DqCli.exit(DqCli.runAndStop(new GenerateJob(), args));
  }

  @Override
  protected String stage() {
    return "generate";
  }

  @Override
  protected void run(SparkSession spark) {
    switch (model) {
      case "rmat" -> runRmat(spark);
      case "sbm" -> runSbm(spark);
      default -> throw new DqInputException("--model must be rmat or sbm, got '" + model + "'");
    }
  }

  private void runRmat(SparkSession spark) {
    if (scale == null) {
      throw new DqInputException("--scale is required with --model rmat");
    }
    int classCount = classes == null ? 0 : classes;
    if (scale < 1 || scale > 32) {
      throw new DqInputException("--scale must be in 1..32, got " + scale);
    }
    if (edgeFactor < 1 || featureWidth < 0 || classCount < 0 || classCount > Math.max(featureWidth, 0)) {
      throw new DqInputException("need --edge-factor >= 1, --feature-width >= 0 and 0 <= --classes <= --feature-width");
    }
    long nodeCount = 1L << scale;
    long edges = nodeCount * edgeFactor;
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int slices = slices(jsc, edges);
    Rmat rmat = Rmat.graph500(scale, seed);

    JavaRDD<Row> edgeRows = jsc.parallelize(range(slices), slices)
        .mapPartitions(it -> slice(edges, it.next(), slices, e -> Stream.of(rmatEdge(rmat, e))));
    // Locals, so that the task closures do not capture this (non-serialisable) command object.
    int width = featureWidth;
    long vertexSeed = seed;
    JavaRDD<Row> vertexRows = jsc.parallelize(range(slices), slices)
        .mapPartitions(it -> slice(nodeCount, it.next(), slices,
            id -> Stream.of(rmatVertex(id, width, classCount, vertexSeed))));

    Map<String, Object> info = new LinkedHashMap<>();
    info.put("generator", "R-MAT, Graph500 parameters a=0.57 b=0.19 c=0.19 d=0.05, scrambled ids");
    info.put("scale", scale);
    info.put("edge_factor", edgeFactor);
    info.put("nodes", nodeCount);
    info.put("edges", edges);
    info.put("feature_width", featureWidth);
    info.put("classes", classCount);
    info.put("seed", seed);
    write(spark, edgeRows, vertexRows, info);
    System.out.printf("generate: R-MAT scale %d, %d nodes, %d edges -> %s%n", scale, nodeCount, edges, out);
  }

  private void runSbm(SparkSession spark) {
    if (nodes == null) {
      throw new DqInputException("--nodes is required with --model sbm");
    }
    Sbm sbm = new Sbm(nodes, averageDegree, classes == null ? 8 : classes, mixing, featureWidth, noise,
        degreeExponent, seed);
    long edges = sbm.edgeSamples();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int slices = slices(jsc, edges);
    long sbmSeed = seed;
    JavaRDD<Row> edgeRows = jsc.parallelize(range(slices), slices)
        .mapPartitions(it -> slice(edges, it.next(), slices, e -> sbmEdges(sbm, e)));
    JavaRDD<Row> vertexRows = jsc.parallelize(range(slices), slices)
        .mapPartitions(it -> slice(sbm.nodes(), it.next(), slices, id -> Stream.of(sbmVertex(sbm, id, sbmSeed))));

    Map<String, Object> info = new LinkedHashMap<>();
    info.put("generator", "degree-corrected stochastic block model, power-law degrees, class-mean features"
        + " with Gaussian noise");
    info.put("nodes", nodes);
    info.put("edge_samples", edges);
    info.put("edges", 2 * edges);
    info.put("average_degree", averageDegree);
    info.put("classes", classes == null ? 8 : classes);
    info.put("mixing", mixing);
    info.put("degree_exponent", degreeExponent);
    info.put("feature_width", featureWidth);
    info.put("noise", noise);
    info.put("seed", seed);
    write(spark, edgeRows, vertexRows, info);
    System.out.printf("generate: SBM %d nodes, %d edges (%d undirected samples, both directions), %d classes,"
        + " mu %.2f -> %s%n", nodes, 2 * edges, edges,
        classes == null ? 8 : classes, mixing, out);
  }

  private static int slices(JavaSparkContext jsc, long edges) {
    return (int) Math.max(jsc.defaultParallelism(), Math.min(100_000, edges / 2_000_000));
  }

  private void write(SparkSession spark, JavaRDD<Row> edgeRows, JavaRDD<Row> vertexRows, Map<String, Object> info) {
    try (AtomicOutput output = AtomicOutput.begin(spark.sparkContext().hadoopConfiguration(), out, overwrite)) {
      spark.createDataFrame(edgeRows, GraphSchemas.EDGES).write().parquet(output.tempPath("edges"));
      spark.createDataFrame(vertexRows, GraphSchemas.VERTICES).write().parquet(output.tempPath("vertices"));
      output.writeText("generate.json", Json.write(info));
      output.commit();
    }
  }

  /**
   * The rows of task {@code slice} of {@code slices} over items 0..total-1 (edges or nodes), each
   * item a pure function of its number, so any slicing writes the same graph.
   */
  private static Iterator<Row> slice(long total, int slice, int slices, LongFunction<Stream<Row>> rowsOf) {
    return LongStream.range(total * slice / slices, total * (slice + 1) / slices).boxed()
        .flatMap(rowsOf::apply).iterator();
  }

  /** Both directions of undirected sample {@code e}, so that in-degree is the degree (design §3.8). */
  private static Stream<Row> sbmEdges(Sbm sbm, long e) {
    long[] ends = new long[2];
    sbm.edge(e, ends);
    return Stream.of(RowFactory.create(0L, ends[0], ends[1]), RowFactory.create(0L, ends[1], ends[0]));
  }

  private static Row sbmVertex(Sbm sbm, long id, long seed) {
    float[] f = sbm.features(id);
    Float[] boxed = new Float[f.length];
    for (int k = 0; k < f.length; k++) {
      boxed[k] = f[k];
    }
    return RowFactory.create(0L, id, boxed, sbm.community(id), split(id, seed));
  }

  private static List<Integer> range(int n) {
    List<Integer> l = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      l.add(i);
    }
    return l;
  }

  private static Row rmatEdge(Rmat rmat, long e) {
    long[] ends = new long[2];
    rmat.edge(e, ends);
    return RowFactory.create(0L, ends[0], ends[1]);
  }

  /** Seeded uniform [0, 1) features; the label is the argmax of the first {@code classes}. */
  private static Row rmatVertex(long id, int width, int classes, long seed) {
    long state = Rmat.mix(id ^ Rmat.mix(seed + 0x5DEECE66DL));
    Float[] f = new Float[width];
    int best = 0;
    for (int k = 0; k < width; k++) {
      state += 0x9E3779B97F4A7C15L;
      f[k] = (Rmat.mix(state) >>> 40) * 0x1.0p-24f;
      if (k < classes && f[k] > f[best]) {
        best = k;
      }
    }
    return RowFactory.create(0L, id, f, classes == 0 ? null : best, classes == 0 ? null : split(id, seed));
  }

  /** train / val / test, 60/20/20, by a hash of the id. */
  static String split(long id, long seed) {
    long h = Math.floorMod(Rmat.mix(id * 31 + seed), 10);
    return h < 6 ? "train" : h < 8 ? "val" : "test";
  }
}
