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
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Writes an R-MAT graph as Parquet tables ({@code edges/}, {@code vertices/}) from the executors,
 * in the user-table form that {@code ingest} cleans: R-MAT repeats edges and makes self-loops.
 * Features are seeded uniform [0, 1) values; with {@code --classes C} a node's label is the
 * argmax of its first C features (learnable, so the synthetic graph can also be trained on) and
 * nodes are split 60/20/20 into train/val/test by a hash of their id.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Generate an R-MAT graph (Graph500 a=0.57 b=0.19 c=0.19) with random features.")
public final class GenerateJob extends SparkJob {
  @Option(names = "--scale", required = true, description = "2^scale nodes.")
  int scale;

  @Option(names = "--edge-factor", defaultValue = "16", description = "Edges per node (default: ${DEFAULT-VALUE}).")
  int edgeFactor;

  @Option(names = "--feature-width", defaultValue = "16", description = "Features per node (default: ${DEFAULT-VALUE}).")
  int featureWidth;

  @Option(names = "--classes", defaultValue = "0", description = "Label classes, 0 for none (default: ${DEFAULT-VALUE}).")
  int classes;

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
    if (scale < 1 || scale > 32) {
      throw new DqInputException("--scale must be in 1..32, got " + scale);
    }
    if (edgeFactor < 1 || featureWidth < 0 || classes < 0 || classes > Math.max(featureWidth, 0)) {
      throw new DqInputException("need --edge-factor >= 1, --feature-width >= 0 and 0 <= --classes <= --feature-width");
    }
    long nodes = 1L << scale;
    long edges = nodes * edgeFactor;
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int slices = (int) Math.max(jsc.defaultParallelism(), Math.min(100_000, edges / 2_000_000));
    Rmat rmat = Rmat.graph500(scale, seed);

    JavaRDD<Row> edgeRows = jsc.parallelize(range(slices), slices)
        .mapPartitions(it -> edgesOf(rmat, it.next(), slices, edges));
    // Locals, so that the task closures do not capture this (non-serialisable) command object.
    int width = featureWidth;
    int classCount = classes;
    long vertexSeed = seed;
    JavaRDD<Row> vertexRows = jsc.parallelize(range(slices), slices)
        .mapPartitions(it -> verticesOf(it.next(), slices, nodes, width, classCount, vertexSeed));

    try (AtomicOutput output = AtomicOutput.begin(spark.sparkContext().hadoopConfiguration(), out, overwrite)) {
      spark.createDataFrame(edgeRows, GraphSchemas.EDGES).write().parquet(output.tempPath("edges"));
      spark.createDataFrame(vertexRows, GraphSchemas.VERTICES).write().parquet(output.tempPath("vertices"));
      Map<String, Object> info = new LinkedHashMap<>();
      info.put("generator", "R-MAT, Graph500 parameters a=0.57 b=0.19 c=0.19 d=0.05, scrambled ids");
      info.put("scale", scale);
      info.put("edge_factor", edgeFactor);
      info.put("nodes", nodes);
      info.put("edges", edges);
      info.put("feature_width", featureWidth);
      info.put("classes", classes);
      info.put("seed", seed);
      output.writeText("generate.json", Json.write(info));
      output.commit();
    }
    System.out.printf("generate: R-MAT scale %d, %d nodes, %d edges -> %s%n", scale, nodes, edges, out);
  }

  private static List<Integer> range(int n) {
    List<Integer> l = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      l.add(i);
    }
    return l;
  }

  private static Iterator<Row> edgesOf(Rmat rmat, int slice, int slices, long edges) {
    long from = edges * slice / slices;
    long to = edges * (slice + 1) / slices;
    long[] e = new long[2];
    return new Iterator<>() {
      long next = from;

      @Override
      public boolean hasNext() {
        return next < to;
      }

      @Override
      public Row next() {
        if (next >= to) {
          throw new NoSuchElementException();
        }
        rmat.edge(next++, e);
        return RowFactory.create(0L, e[0], e[1]);
      }
    };
  }

  private static Iterator<Row> verticesOf(int slice, int slices, long nodes, int width, int classes, long seed) {
    long from = nodes * slice / slices;
    long to = nodes * (slice + 1) / slices;
    return new Iterator<>() {
      long id = from;

      @Override
      public boolean hasNext() {
        return id < to;
      }

      @Override
      public Row next() {
        if (id >= to) {
          throw new NoSuchElementException();
        }
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
        long h = Math.floorMod(Rmat.mix(id * 31 + seed), 10);
        String split = classes == 0 ? null : h < 6 ? "train" : h < 8 ? "val" : "test";
        Row r = RowFactory.create(0L, id, f, classes == 0 ? null : best, split);
        id++;
        return r;
      }
    };
  }
}
