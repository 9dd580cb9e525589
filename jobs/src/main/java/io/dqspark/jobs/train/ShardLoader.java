package io.dqspark.jobs.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;

import io.dqspark.graph.GraphLevel;
import io.dqspark.graph.Split;
import io.dqspark.jobs.common.TablesManifest;
import io.dqspark.util.DqInputException;
import io.dqspark.util.HadoopFiles;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;
import scala.Tuple4;

/**
 * Reads the partition job's output into one {@link PartShard} per part, built on the executors:
 * vertices, edges and halo (or graphs) are keyed by {@code part} and co-grouped with a
 * {@link HashPartitioner} of {@code workers}, so Spark partition {@code w} holds the parts
 * {@code p % workers == w} and each worker keeps training the same parts. Nothing but counts
 * reaches the driver.
 */
public final class ShardLoader {
  private ShardLoader() {}

  /** The loaded shards (persisted) and what the driver needs to know about them. */
  public record Shards(JavaRDD<PartShard> rdd, int parts, GraphLevel level) {}

  /**
   * @param dir a partition job output (tables.json with stage "partition", Parquet tables)
   * @param pHigh the protection ceiling the variant trains with; the shards' mask_prob must reach it
   *     (null: not Degree-Quant, mask_prob unused)
   */
  public static Shards load(SparkSession spark, String dir, int workers, int numClasses, Double pHigh) {
    return load(spark, dir, workers, numClasses, pHigh, null);
  }

  /**
   * As {@link #load(SparkSession, String, int, int, Double)}; with {@code gcnHalo} (one big graph
   * trained by a GCN) each shard also gets whole-graph degrees and its halo's stand-ins, so that
   * its step computes what the whole graph computes for its nodes ({@link HaloStandIns}).
   */
  public static Shards load(SparkSession spark, String dir, int workers, int numClasses, Double pHigh,
      HaloStandIns gcnHalo) {
    HadoopFiles files = new HadoopFiles(spark.sparkContext().hadoopConfiguration());
    TablesManifest m = TablesManifest.readIfPresent(files, dir);
    if (m == null || !"partition".equals(m.stage())) {
      throw new DqInputException("shards = " + dir + ": not a partition job output (no tables.json with"
          + " stage 'partition'); run bin/dq partition (or bin/dq pipeline) first, or leave shards empty");
    }
    if (!"parquet".equalsIgnoreCase(m.format())) {
      throw new DqInputException("shards = " + dir + ": tables are " + m.format()
          + "; training reads the partition output in Parquet");
    }
    Dataset<Row> vertices = spark.read().parquet(dir + "/vertices");
    Dataset<Row> edges = spark.read().parquet(dir + "/edges");
    int parts = 1 + vertices.agg(max(col("part"))).first().getInt(0);
    if (workers > parts) {
      throw new DqInputException("workers = " + workers + " but " + dir + " has only " + parts
          + " parts; use at most " + parts + " workers or re-partition with --parts " + workers);
    }
    if (pHigh != null) {
      double top = vertices.agg(max(col("mask_prob"))).first().getDouble(0);
      if (Math.abs(top - pHigh) > 1e-9) {
        throw new DqInputException("shards = " + dir + ": its mask_prob reaches " + top + " but p_high is "
            + pHigh + "; run stats with --p-high " + pHigh + " (or leave shards empty to prepare them)");
      }
    }
    HashPartitioner byPart = new HashPartitioner(workers);
    GraphLevel level = m.level();
    boolean degrees = gcnHalo != null && level == GraphLevel.NODE;
    if (degrees) {
      vertices = HaloStandIns.withDegree(vertices, edges);
    }
    JavaPairRDD<Integer, VertexRow> v = vertices.select(col("part"), col("graph_id"), col("id"),
        col("features"), col("label"), col("split"), col("mask_prob"), degreeColumn(degrees))
        .javaRDD().mapToPair(r -> new Tuple2<>(r.getInt(0), VertexRow.of(r, true)));
    JavaPairRDD<Integer, long[]> e = edges.select(col("part"), col("graph_id"), col("src"), col("dst"))
        .javaRDD().mapToPair(r -> new Tuple2<>(r.getInt(0), new long[] {r.getLong(1), r.getLong(2), r.getLong(3)}));
    JavaPairRDD<Integer, VertexRow> halo;
    JavaPairRDD<Integer, long[]> graphs;
    if (level == GraphLevel.NODE) {
      // halo rows lack mask_prob: Degree-Quant protects a message by its source node, so take it
      // from the owner's vertex row
      halo = spark.read().parquet(dir + "/halo").select(col("part"), col("graph_id"), col("id"), col("features"))
          .join(vertices.select(col("id"), col("mask_prob"), degreeColumn(degrees)), "id")
          .select(col("part"), col("graph_id"), col("id"), col("features"), col("mask_prob"), col(DEGREE))
          .javaRDD().mapToPair(r -> new Tuple2<>(r.getInt(0), VertexRow.of(r, false)));
      graphs = empty(spark);
    } else {
      halo = empty(spark);
      graphs = spark.read().parquet(dir + "/graphs").select(col("part"), col("graph_id"), col("label"))
          .javaRDD().mapToPair(r -> new Tuple2<>(r.getInt(0), new long[] {r.getLong(1), r.getInt(2)}));
    }
    // keeps the partitioner, so attaching stand-ins does not move the shards
    JavaPairRDD<Integer, PartShard> byShard = v.cogroup(e, halo, graphs, byPart).mapPartitionsToPair(it -> {
      List<Tuple2<Integer, PartShard>> out = new ArrayList<>();
      it.forEachRemaining(t -> out.add(new Tuple2<>(t._1(), build(t._1(), level, numClasses, t._2()))));
      return out.iterator();
    }, true);
    long t0 = System.nanoTime();
    JavaRDD<PartShard> rdd;
    if (degrees) {
      byShard.persist(StorageLevel.MEMORY_AND_DISK());
      rdd = gcnHalo.attach(byShard, spark.read().parquet(dir + "/halo"), byPart)
          .persist(StorageLevel.MEMORY_AND_DISK());
    } else {
      rdd = byShard.values().persist(StorageLevel.MEMORY_AND_DISK());
    }
    long loaded = rdd.count();
    if (degrees) {
      byShard.unpersist(false);
    }
    org.slf4j.LoggerFactory.getLogger(ShardLoader.class).info("loaded {} shards of {} on the executors in {} s",
        loaded, dir, String.format("%.1f", (System.nanoTime() - t0) / 1e9));
    return new Shards(rdd, parts, level);
  }

  private static <V> JavaPairRDD<Integer, V> empty(SparkSession spark) {
    return JavaPairRDD.fromJavaRDD(
        org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext()).<Tuple2<Integer, V>>emptyRDD());
  }

  private static final String DEGREE = HaloStandIns.DEGREE;

  /** The whole-graph degree column when it was computed, else a 0 under its name. */
  private static org.apache.spark.sql.Column degreeColumn(boolean computed) {
    return computed ? col(DEGREE) : org.apache.spark.sql.functions.lit(0).as(DEGREE);
  }

  /**
   * A vertex or halo row, compact for the shuffle (a Spark Row would carry its schema);
   * {@code degree} is the whole-graph GCN degree, or 0 where not computed.
   */
  record VertexRow(long graph, long id, float[] features, int label, byte split, double maskProb, int degree)
      implements java.io.Serializable {
    static VertexRow of(Row r, boolean own) {
      if (!own) {
        return new VertexRow(r.getLong(1), r.getLong(2), floats(r.getList(3)), -1, (byte) -1,
            r.isNullAt(4) ? 0 : r.getDouble(4), r.getInt(5));
      }
      Split s = r.isNullAt(5) ? null : Split.parse(r.getString(5));
      return new VertexRow(r.getLong(1), r.getLong(2), floats(r.getList(3)), r.isNullAt(4) ? -1 : r.getInt(4),
          (byte) (s == null ? -1 : s.ordinal()), r.isNullAt(6) ? 0 : r.getDouble(6), r.getInt(7));
    }
  }

  private static PartShard build(int part, GraphLevel level, int numClasses,
      Tuple4<Iterable<VertexRow>, Iterable<long[]>, Iterable<VertexRow>, Iterable<long[]>> rows) {
    List<VertexRow> own = sorted(rows._1());
    List<VertexRow> halo = sorted(rows._3());
    int n = own.size() + halo.size();
    long[] graph = new long[n];
    long[] id = new long[n];
    float[][] features = new float[n][];
    int[] labels = new int[n];
    byte[] splits = new byte[n];
    double[] maskProb = new double[n];
    int[] degree = new int[n];
    int i = 0;
    for (List<VertexRow> list : List.of(own, halo)) {
      for (VertexRow r : list) {
        graph[i] = r.graph();
        id[i] = r.id();
        features[i] = r.features();
        labels[i] = r.label();
        splits[i] = r.split();
        maskProb[i] = r.maskProb();
        degree[i] = r.degree();
        i++;
      }
    }
    List<long[]> edges = new ArrayList<>();
    rows._2().forEach(edges::add);
    edges.sort(ROWS);
    long[] eg = new long[edges.size()];
    long[] src = new long[edges.size()];
    long[] dst = new long[edges.size()];
    for (int k = 0; k < edges.size(); k++) {
      eg[k] = edges.get(k)[0];
      src[k] = edges.get(k)[1];
      dst[k] = edges.get(k)[2];
    }
    long[] graphIds = null;
    int[] graphLabels = null;
    if (level == GraphLevel.GRAPH) {
      List<long[]> graphs = new ArrayList<>();
      rows._4().forEach(graphs::add);
      graphs.sort(ROWS);
      graphIds = graphs.stream().mapToLong(g -> g[0]).toArray();
      graphLabels = graphs.stream().mapToInt(g -> (int) g[1]).toArray();
    }
    return new PartShard(part, level, numClasses, graph, id, features, labels, splits, maskProb,
        eg, src, dst, graphIds, graphLabels, own.size(), degree[0] > 0 || n == 0 ? degree : null);
  }

  /** Lexicographic order of long rows: Spark's grouping order varies, a run must not. */
  private static final java.util.Comparator<long[]> ROWS = (a, b) -> {
    for (int k = 0; k < a.length; k++) {
      int c = Long.compare(a[k], b[k]);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  };

  private static List<VertexRow> sorted(Iterable<VertexRow> rows) {
    List<VertexRow> out = new ArrayList<>();
    rows.forEach(out::add);
    out.sort(java.util.Comparator.comparingLong(VertexRow::graph).thenComparingLong(VertexRow::id));
    return out;
  }

  private static float[] floats(List<Object> values) {
    float[] f = new float[values.size()];
    for (int k = 0; k < f.length; k++) {
      f[k] = ((Number) values.get(k)).floatValue();
    }
    return f;
  }
}
