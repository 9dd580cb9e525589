package io.dqspark.jobs.partition;

import static io.dqspark.jobs.common.GraphSchemas.GRAPH_ID;
import static io.dqspark.jobs.common.GraphSchemas.PART;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import io.dqspark.jobs.common.GraphSchemas;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Whole graphs to K parts, balancing nodes + edges: the longest-processing-time rule (largest
 * graph first, always to the lightest part), whose largest part is within 4/3 of optimal and, for
 * many small graphs, within one graph of perfect. Only one (id, weight) pair per graph reaches
 * the driver, never the graphs themselves.
 */
final class GraphBinPacking {
  private GraphBinPacking() {}

  /** (graph_id, part) and the weight each part received. */
  record Assignment(Dataset<Row> parts, long[] weights) {}

  static Assignment assign(SparkSession spark, Dataset<Row> vertices, Dataset<Row> edges, int k) {
    Dataset<Row> nodes = vertices.groupBy(GRAPH_ID).agg(count(lit(1)).as("n"));
    Dataset<Row> links = edges.groupBy(GRAPH_ID).agg(count(lit(1)).as("m"));
    List<Row> sizes = nodes.join(links, new String[] {GRAPH_ID}, "left")
        .select(col(GRAPH_ID), col("n").plus(coalesce(col("m"), lit(0L))).as("w"))
        .collectAsList();
    Row[] byWeight = sizes.toArray(new Row[0]);
    Arrays.sort(byWeight, Comparator.<Row>comparingLong(r -> -r.getLong(1)).thenComparingLong(r -> r.getLong(0)));
    long[] load = new long[k];
    PriorityQueue<Integer> lightest = new PriorityQueue<>(
        Comparator.<Integer>comparingLong(p -> load[p]).thenComparingInt(p -> p));
    for (int p = 0; p < k; p++) {
      lightest.add(p);
    }
    List<Row> out = new ArrayList<>(byWeight.length);
    for (Row g : byWeight) {
      int p = lightest.poll();
      load[p] += g.getLong(1);
      lightest.add(p);
      out.add(RowFactory.create(g.getLong(0), p));
    }
    StructType schema = DataTypes.createStructType(List.of(
        DataTypes.createStructField(GraphSchemas.GRAPH_ID, DataTypes.LongType, false),
        DataTypes.createStructField(PART, DataTypes.IntegerType, false)));
    return new Assignment(spark.createDataFrame(out, schema), load);
  }
}
