package io.dqspark.jobs.ingest;

import static io.dqspark.jobs.common.GraphSchemas.DST;
import static io.dqspark.jobs.common.GraphSchemas.FEATURES;
import static io.dqspark.jobs.common.GraphSchemas.GRAPH_ID;
import static io.dqspark.jobs.common.GraphSchemas.ID;
import static io.dqspark.jobs.common.GraphSchemas.LABEL;
import static io.dqspark.jobs.common.GraphSchemas.SRC;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.dqspark.graph.EdgeRules;
import io.dqspark.jobs.common.IngestReport;
import io.dqspark.jobs.common.SparkGraph;
import io.dqspark.util.DqInputException;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Validates the vertices and applies the cleaning rule of {@link EdgeRules} to the edges on the
 * executors: unknown endpoints (error, or dropped and counted), self-loops, duplicates.
 *
 * <p>Membership of endpoints is a range check when the graph's ids are exactly {@code 0..n-1}
 * (edge lists with a header, R-MAT, Planetoid): no join over the edges. Otherwise two joins
 * against the vertex ids also check that each edge stays inside its graph.
 */
public final class EdgeCleaning {
  private EdgeCleaning() {}

  public static SparkGraph apply(SparkGraph raw, EdgeRules.Options rules, String source, String format) {
    Dataset<Row> vertices = raw.vertices();
    Row v = vertices.agg(count(lit(1)), min(ID), max(ID), min(size(col(FEATURES))), max(size(col(FEATURES))),
        sum(when(expr("exists(features, x -> x IS NULL OR isnan(x) OR abs(x) = float('Infinity'))"), 1).otherwise(0)),
        countDistinct(col(GRAPH_ID)), min(GRAPH_ID)).first();
    long n = v.getLong(0);
    if (n == 0) {
      throw new DqInputException(source + ": the graph is empty (no vertices)");
    }
    if (v.getInt(3) != v.getInt(4)) {
      Row odd = vertices.where(size(col(FEATURES)).notEqual(v.getInt(3))).select(ID, FEATURES).first();
      throw new DqInputException(source + ": feature widths differ: vertex " + odd.getLong(0) + " has "
          + odd.getList(1).size() + " features, others " + v.getInt(3));
    }
    if (v.getLong(5) > 0) {
      Row bad = vertices.where(expr("exists(features, x -> x IS NULL OR isnan(x) OR abs(x) = float('Infinity'))"))
          .select(ID).first();
      throw new DqInputException(source + ": vertex " + bad.getLong(0) + " has a null, NaN or infinite feature ("
          + v.getLong(5) + " such vertices)");
    }
    List<Row> dup = vertices.groupBy(ID).count().where(col("count").gt(1)).limit(1).collectAsList();
    if (!dup.isEmpty()) {
      throw new DqInputException(source + ": vertex id " + dup.get(0).getLong(0) + " appears "
          + dup.get(0).getLong(1) + " times in the vertices table");
    }
    List<Row> badLabel = vertices.where(col(LABEL).lt(0)).select(ID, LABEL).limit(1).collectAsList();
    if (!badLabel.isEmpty()) {
      throw new DqInputException(source + ": vertex " + badLabel.get(0).getLong(0) + " has label "
          + badLabel.get(0).getInt(1) + "; labels are class indices 0..C-1 (null when unknown)");
    }

    if (raw.graphs() != null) {
      checkGraphs(raw.graphs(), vertices, source);
    }

    boolean contiguous = v.getLong(6) == 1 && v.getLong(1) == 0 && v.getLong(2) == n - 1;
    Dataset<Row> edges = raw.edges();
    Column known;
    if (contiguous) {
      long graph = v.getLong(7);
      known = col(SRC).geq(0).and(col(SRC).lt(n)).and(col(DST).geq(0)).and(col(DST).lt(n))
          .and(col(GRAPH_ID).equalTo(graph));
    } else {
      Dataset<Row> owners = vertices.select(col(ID), col(GRAPH_ID).as("_g"));
      edges = edges
          .join(owners.withColumnRenamed(ID, "_s").withColumnRenamed("_g", "_gs"), col(SRC).equalTo(col("_s")), "left")
          .join(owners.withColumnRenamed(ID, "_d").withColumnRenamed("_g", "_gd"), col(DST).equalTo(col("_d")), "left");
      known = col("_gs").isNotNull().and(col("_gd").isNotNull())
          .and(col("_gs").equalTo(col(GRAPH_ID))).and(col("_gd").equalTo(col(GRAPH_ID)));
    }
    Row e = edges.agg(count(lit(1)), sum(when(known, 0).otherwise(1)),
        sum(when(known.and(col(SRC).equalTo(col(DST))), 1).otherwise(0))).first();
    long rawEdges = e.getLong(0);
    long unknown = e.isNullAt(1) ? 0 : e.getLong(1);
    long selfLoops = e.isNullAt(2) ? 0 : e.getLong(2);
    if (unknown > 0 && !rules.dropUnknown()) {
      Row bad = edges.where(functions.not(known)).select(GRAPH_ID, SRC, DST).first();
      throw new DqInputException(source + ": " + unknown + " edges name vertices that are not in the vertices "
          + "table of their graph, e.g. " + bad.getLong(1) + " -> " + bad.getLong(2) + " (graph "
          + bad.getLong(0) + ")" + fileOf(raw.edges(), bad) + "; pass --drop-unknown to drop them");
    }
    Dataset<Row> cleaned = edges.where(known);
    if (!rules.keepSelfLoops()) {
      cleaned = cleaned.where(col(SRC).notEqual(col(DST)));
    }
    cleaned = cleaned.select(raw.edges().columns().length == 3
        ? new Column[] {col(GRAPH_ID), col(SRC), col(DST)}
        : java.util.Arrays.stream(raw.edges().columns()).map(c -> col(c)).toArray(Column[]::new));
    if (!rules.keepDuplicates()) {
      cleaned = cleaned.dropDuplicates(GRAPH_ID, SRC, DST);
    }
    long dropped = rules.keepSelfLoops() ? 0 : selfLoops;
    IngestReport report = new IngestReport(source, format, n, rawEdges, dropped, unknown,
        IngestReport.UNKNOWN, IngestReport.UNKNOWN);
    return new SparkGraph(raw.name(), raw.level(), vertices, cleaned, raw.graphs(), report);
  }

  /** Every vertex's graph is in the graphs table, once, with a valid label. */
  private static void checkGraphs(Dataset<Row> graphs, Dataset<Row> vertices, String source) {
    List<Row> repeated = graphs.groupBy(GRAPH_ID).count().where(col("count").gt(1)).limit(1).collectAsList();
    if (!repeated.isEmpty()) {
      throw new DqInputException(source + ": graph_id " + repeated.get(0).getLong(0) + " appears "
          + repeated.get(0).getLong(1) + " times in the graphs table");
    }
    List<Row> orphan = vertices.select(GRAPH_ID).distinct()
        .join(graphs.select(GRAPH_ID), new String[] {GRAPH_ID}, "left_anti").limit(1).collectAsList();
    if (!orphan.isEmpty()) {
      throw new DqInputException(source + ": vertices name graph " + orphan.get(0).getLong(0)
          + ", which the graphs table lacks");
    }
    List<Row> badLabel = graphs.where(col(LABEL).lt(0)).select(GRAPH_ID, LABEL).limit(1).collectAsList();
    if (!badLabel.isEmpty()) {
      throw new DqInputException(source + ": graph " + badLabel.get(0).getLong(0) + " has label "
          + badLabel.get(0).getInt(1) + "; labels are class indices 0..C-1");
    }
  }

  /** The input file an offending edge came from, when the input is a set of files. */
  private static String fileOf(Dataset<Row> rawEdges, Row bad) {
    try {
      List<Row> f = rawEdges.where(col(SRC).equalTo(bad.getLong(1)).and(col(DST).equalTo(bad.getLong(2))))
          .select(input_file_name()).limit(1).collectAsList();
      String file = f.isEmpty() ? "" : f.get(0).getString(0);
      return file.isEmpty() ? "" : " in " + file;
    } catch (RuntimeException e) {
      return "";
    }
  }
}
