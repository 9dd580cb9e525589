package io.dqspark.jobs.train;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import io.dqspark.gnn.HaloSubgraph;
import java.io.Serializable;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * Gives the shards of a GCN on one big graph what {@link HaloSubgraph} needs: whole-graph degrees
 * (a Spark aggregation over the edges) and, for every halo vertex, the stand-in its owner computes
 * from its own rows and in-edges, shipped to the parts that hold it as halo (design §7.6).
 */
public final class HaloStandIns implements Serializable {
  private static final long serialVersionUID = 1L;
  /** The vertex column with the whole-graph GCN degree: in-degree without self-loops, plus one. */
  static final String DEGREE = "gcn_degree";

  private final boolean rowNormalize;

  /** @param rowNormalize whether the run row-normalises features (stand-ins average what the layer sees) */
  public HaloStandIns(boolean rowNormalize) {
    this.rowNormalize = rowNormalize;
  }

  /** {@code vertices} with {@link #DEGREE}, counted over {@code edges} as the GCN layer counts. */
  static Dataset<Row> withDegree(Dataset<Row> vertices, Dataset<Row> edges) {
    Dataset<Row> in = edges.filter(col("src").notEqual(col("dst")))
        .groupBy(col("graph_id"), col("dst").as("id")).agg(count(lit(1)).as("in_edges"));
    return vertices.join(in, new String[] {"graph_id", "id"}, "left")
        .withColumn(DEGREE, coalesce(col("in_edges"), lit(0L)).plus(1).cast("int"))
        .drop("in_edges");
  }

  /**
   * The shards with their halo's stand-ins. {@code shards} must be partitioned by {@code byPart}
   * (it then stays where it is); {@code halo} is the partition job's halo table.
   */
  JavaRDD<PartShard> attach(JavaPairRDD<Integer, PartShard> shards, Dataset<Row> halo, HashPartitioner byPart) {
    boolean normalize = rowNormalize;
    JavaPairRDD<Long, HaloSubgraph.StandIn> standIns = shards.values().flatMapToPair(s -> s.ownStandIns(normalize));
    JavaPairRDD<Long, Integer> needs = halo.select(col("id"), col("part")).javaRDD()
        .mapToPair(r -> new Tuple2<>(r.getLong(0), r.getInt(1)));
    JavaPairRDD<Integer, Tuple2<Long, HaloSubgraph.StandIn>> toPart = needs.join(standIns)
        .mapToPair(t -> new Tuple2<>(t._2()._1(), new Tuple2<>(t._1(), t._2()._2())));
    return shards.cogroup(toPart, byPart).flatMap(t -> {
      java.util.List<PartShard> out = new java.util.ArrayList<>();
      for (PartShard s : t._2()._1()) {
        out.add(s.withStandIns(t._2()._2()));
      }
      return out.iterator();
    });
  }
}
