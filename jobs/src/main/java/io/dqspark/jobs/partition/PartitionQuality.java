package io.dqspark.jobs.partition;

import static io.dqspark.jobs.common.GraphSchemas.DST;
import static io.dqspark.jobs.common.GraphSchemas.ID;
import static io.dqspark.jobs.common.GraphSchemas.PART;
import static io.dqspark.jobs.common.GraphSchemas.SRC;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Edge cut and balance of a node labelling: what partitions.json reports. */
public final class PartitionQuality {
  private PartitionQuality() {}

  /** Directed edges whose endpoints lie in different parts. */
  public record Cut(long cut, long edges) {
    public double fraction() {
      return edges == 0 ? 0 : (double) cut / edges;
    }

    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("cut_edges", cut);
      m.put("edges", edges);
      m.put("fraction", fraction());
      return m;
    }
  }

  public static Cut edgeCut(Dataset<Row> edges, Dataset<Row> labels) {
    Row r = edges
        .join(broadcast(labels.select(col(ID).as(SRC), col(PART).as("ps"))), SRC)
        .join(broadcast(labels.select(col(ID).as(DST), col(PART).as("pd"))), DST)
        .agg(count(lit(1)), sum(when(col("ps").notEqual(col("pd")), 1L).otherwise(0L)))
        .first();
    return new Cut(r.isNullAt(1) ? 0 : r.getLong(1), r.getLong(0));
  }

  /** max/mean and min/mean of part sizes. */
  static Map<String, Object> balance(long[] sizes) {
    long total = 0;
    long max = Long.MIN_VALUE;
    long min = Long.MAX_VALUE;
    for (long s : sizes) {
      total += s;
      max = Math.max(max, s);
      min = Math.min(min, s);
    }
    double mean = (double) total / sizes.length;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mean", mean);
    m.put("max_over_mean", max / mean);
    m.put("min_over_mean", min / mean);
    return m;
  }
}
