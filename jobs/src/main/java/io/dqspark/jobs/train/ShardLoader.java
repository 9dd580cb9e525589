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
import scala.Tuple3;

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
    JavaPairRDD<Integer, Row> v = keyed(vertices.select(col("part"), col("graph_id"), col("id"),
        col("features"), col("label"), col("split"), col("mask_prob")));
    JavaPairRDD<Integer, Row> e = keyed(edges.select(col("part"), col("graph_id"), col("src"), col("dst")));
    JavaPairRDD<Integer, Row> third;
    GraphLevel level = m.level();
    if (level == GraphLevel.NODE) {
      // halo rows lack mask_prob: Degree-Quant protects a message by its source node, so take it
      // from the owner's vertex row
      Dataset<Row> halo = spark.read().parquet(dir + "/halo").select(col("part"), col("graph_id"),
          col("id"), col("features"))
          .join(vertices.select(col("id"), col("mask_prob")), "id")
          .select(col("part"), col("graph_id"), col("id"), col("features"), col("mask_prob"));
      third = keyed(halo);
    } else {
      third = keyed(spark.read().parquet(dir + "/graphs").select(col("part"), col("graph_id"), col("label")));
    }
    JavaRDD<PartShard> rdd = v.cogroup(e, third, byPart)
        .map(t -> build(t._1(), level, numClasses, t._2()))
        .persist(StorageLevel.MEMORY_AND_DISK());
    return new Shards(rdd, parts, level);
  }

  private static JavaPairRDD<Integer, Row> keyed(Dataset<Row> rows) {
    return rows.javaRDD().mapToPair(r -> new Tuple2<>(r.getInt(0), r));
  }

  private static PartShard build(int part, GraphLevel level, int numClasses,
      Tuple3<Iterable<Row>, Iterable<Row>, Iterable<Row>> rows) {
    List<Row> own = list(rows._1());
    List<Row> halo = level == GraphLevel.NODE ? list(rows._3()) : List.of();
    int n = own.size() + halo.size();
    long[] graph = new long[n];
    long[] id = new long[n];
    float[][] features = new float[n][];
    int[] labels = new int[n];
    byte[] splits = new byte[n];
    double[] maskProb = new double[n];
    int i = 0;
    for (Row r : own) {
      graph[i] = r.getLong(1);
      id[i] = r.getLong(2);
      features[i] = floats(r.getList(3));
      labels[i] = r.isNullAt(4) ? -1 : r.getInt(4);
      Split s = r.isNullAt(5) ? null : Split.parse(r.getString(5));
      splits[i] = (byte) (s == null ? -1 : s.ordinal());
      maskProb[i] = r.isNullAt(6) ? 0 : r.getDouble(6);
      i++;
    }
    for (Row r : halo) {
      graph[i] = r.getLong(1);
      id[i] = r.getLong(2);
      features[i] = floats(r.getList(3));
      labels[i] = -1;
      splits[i] = -1;
      maskProb[i] = r.isNullAt(4) ? 0 : r.getDouble(4);
      i++;
    }
    List<Row> edges = list(rows._2());
    long[] eg = new long[edges.size()];
    long[] src = new long[edges.size()];
    long[] dst = new long[edges.size()];
    for (int k = 0; k < edges.size(); k++) {
      Row r = edges.get(k);
      eg[k] = r.getLong(1);
      src[k] = r.getLong(2);
      dst[k] = r.getLong(3);
    }
    long[] graphIds = null;
    int[] graphLabels = null;
    if (level == GraphLevel.GRAPH) {
      List<Row> graphs = list(rows._3());
      graphs.sort((a, b) -> Long.compare(a.getLong(1), b.getLong(1)));
      graphIds = new long[graphs.size()];
      graphLabels = new int[graphs.size()];
      for (int k = 0; k < graphs.size(); k++) {
        graphIds[k] = graphs.get(k).getLong(1);
        graphLabels[k] = graphs.get(k).getInt(2);
      }
    }
    return new PartShard(part, level, numClasses, graph, id, features, labels, splits, maskProb,
        eg, src, dst, graphIds, graphLabels);
  }

  private static List<Row> list(Iterable<Row> rows) {
    List<Row> out = new ArrayList<>();
    rows.forEach(out::add);
    // Spark's grouping order varies between runs; a fixed node order keeps a run reproducible
    out.sort((a, b) -> {
      int c = Long.compare(a.getLong(1), b.getLong(1));
      return c != 0 ? c : Long.compare(a.getLong(2), b.getLong(2));
    });
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
