package io.dqspark.jobs.score;

import org.apache.spark.SparkThrowable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The child JVM of {@link DqSqlExtensionsTest}: a session given only the {@code
 * spark.sql.extensions} line (nothing registers the functions), scoring the parent's tables.
 *
 * <p>Arguments: input folder (Parquet {@code cora/}, {@code mutag/}), output folder, the Cora GCN
 * model directory, the MUTAG GIN model directory. Writes the two queries' results as Parquet
 * {@code OUT/nodes} and {@code OUT/graphs} and prints what the parent checks, one {@code key: value}
 * line each.
 */
public final class SqlExtensionsSession {
  private SqlExtensionsSession() {}

  public static void main(String[] args) {
    String in = args[0];
    String out = args[1];
    SparkSession spark = SparkSession.builder()
        .master("local[1]")
        .appName("dq-sql-extensions")
        .config("spark.sql.extensions", "io.dqspark.jobs.score.DqSqlExtensions")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate();
    try {
      spark.read().parquet(in + "/cora").createOrReplaceTempView("cora_graphs");
      spark.read().parquet(in + "/mutag").createOrReplaceTempView("mutag_graphs");
      spark.sql(DqSqlExtensionsTest.nodesQuery(args[2])).write().parquet(out + "/nodes");
      spark.sql(DqSqlExtensionsTest.graphsQuery(args[3])).write().parquet(out + "/graphs");

      Row usage = spark.sql("DESCRIBE FUNCTION dq_predict_graph").collectAsList().get(2);
      System.out.println("describe: " + usage.getString(0));
      try {
        spark.sql("SELECT dq_predict_nodes('" + args[2] + "', array(array(1.0f)), array(0L))").collect();
        System.out.println("wrong-args: no error");
      } catch (Exception e) {
        System.out.println("wrong-args: " + e.getClass().getName() + " " + ((SparkThrowable) e).getSqlState()
            + " " + e.getMessage().lines().findFirst().orElse(""));
      }
      // extensions carry over to the session's new sessions (one per notebook or thread)
      Row fresh = spark.newSession().sql("SELECT dq_predict_nodes(CAST(NULL AS STRING), array(array(1.0f)), "
          + "array(0L), array(0L))").first();
      System.out.println("new-session: " + (fresh.isNullAt(0) ? "null" : fresh.get(0)));
    } finally {
      spark.stop();
    }
  }
}
