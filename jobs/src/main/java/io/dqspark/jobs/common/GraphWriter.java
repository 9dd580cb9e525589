package io.dqspark.jobs.common;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.StructField;

/**
 * Writes canonical tables into an {@link AtomicOutput}. CSV cannot hold arrays, so array columns
 * become {@code ;}-joined numbers there (the readers parse them back).
 */
public final class GraphWriter {
  private final AtomicOutput out;
  private final OutputOptions.Format format;

  public GraphWriter(AtomicOutput out, OutputOptions.Format format) {
    this.out = out;
    this.format = format;
  }

  /** Writes one table and returns its row count, read back from what was written. */
  public long write(String table, Dataset<Row> df, String... partitionBy) {
    String path = out.tempPath(table);
    Dataset<Row> data = format == OutputOptions.Format.CSV ? flattenArrays(df) : df;
    DataFrameWriter<Row> writer = data.write().mode(SaveMode.ErrorIfExists);
    // an empty table written with partitionBy leaves no file, so no reader could learn its schema
    // (a halo when no edge crosses parts); unpartitioned, Spark writes one empty file with it
    if (partitionBy.length > 0 && !data.isEmpty()) {
      writer = writer.partitionBy(partitionBy);
    }
    if (format == OutputOptions.Format.CSV) {
      writer.option("header", "true").csv(path);
      return df.sparkSession().read().option("header", "true").csv(path).count();
    }
    writer.parquet(path);
    return df.sparkSession().read().parquet(path).count();
  }

  /** Writes the vertices, edges and (graph-level) graphs tables of {@code graph}. */
  public WrittenCounts writeAll(SparkGraph graph, String... partitionBy) {
    long v = write("vertices", graph.vertices(), partitionBy);
    long e = write("edges", graph.edges(), partitionBy);
    long g = graph.graphs() == null ? 0 : write("graphs", graph.graphs(), partitionBy);
    List<String> tables = new ArrayList<>(List.of("vertices", "edges"));
    if (graph.graphs() != null) {
      tables.add("graphs");
    }
    return new WrittenCounts(v, e, g, tables);
  }

  /** Row counts of the written tables. */
  public record WrittenCounts(long vertices, long edges, long graphs, List<String> tables) {}

  public String formatName() {
    return format.name().toLowerCase(java.util.Locale.ROOT);
  }

  private static Dataset<Row> flattenArrays(Dataset<Row> df) {
    List<Column> cols = new ArrayList<>();
    for (StructField f : df.schema().fields()) {
      if (f.dataType() instanceof ArrayType) {
        cols.add(expr("array_join(transform(`" + f.name() + "`, x -> cast(x as string)), ';')").as(f.name()));
      } else {
        cols.add(col(f.name()));
      }
    }
    return df.select(cols.toArray(new Column[0]));
  }
}
