package io.dqspark.jobs.ingest;

import io.dqspark.graph.GraphLevel;
import io.dqspark.jobs.common.SparkGraph;
import io.dqspark.util.HadoopFiles;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads canonical tables ({@code vertices/}, {@code edges/}, optional {@code graphs/}) written by
 * a user or by one of our jobs, in Parquet or CSV. CSV columns are read as text and checked
 * value by value, so a bad cell is reported with its file instead of becoming a silent null.
 */
final class CanonicalTableReader {
  private CanonicalTableReader() {}

  static SparkGraph read(SparkSession spark, String dir, String name, InputFormat format) {
    HadoopFiles files = new HadoopFiles(spark.sparkContext().hadoopConfiguration());
    files.requireDirectory(new Path(dir), "--input");
    files.requireDirectory(new Path(dir, "vertices"), "--input (vertices table)");
    files.requireDirectory(new Path(dir, "edges"), "--input (edges table)");
    boolean hasGraphs = files.exists(new Path(dir, "graphs"));
    Dataset<Row> vertices = CanonicalColumns.vertices(load(spark, format, dir + "/vertices"), dir + "/vertices");
    Dataset<Row> edges = CanonicalColumns.edges(load(spark, format, dir + "/edges"), dir + "/edges");
    Dataset<Row> graphs = hasGraphs
        ? CanonicalColumns.graphs(load(spark, format, dir + "/graphs"), dir + "/graphs") : null;
    return new SparkGraph(name, hasGraphs ? GraphLevel.GRAPH : GraphLevel.NODE, vertices, edges, graphs, null);
  }

  private static Dataset<Row> load(SparkSession spark, InputFormat format, String path) {
    DataFrameReader reader = spark.read();
    if (format == InputFormat.CSV) {
      return reader.option("header", "true").option("inferSchema", "false").option("mode", "FAILFAST").csv(path);
    }
    return reader.parquet(path);
  }
}
