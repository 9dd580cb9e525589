package io.dqspark.jobs.common;

import io.dqspark.graph.GraphLevel;
import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A dataset as DataFrames in canonical form: what ingest produces and later stages consume.
 *
 * @param graphs null for node-level data
 * @param cleaning counts of what ingestion dropped, for the report
 */
public record SparkGraph(
    String name,
    GraphLevel level,
    Dataset<Row> vertices,
    Dataset<Row> edges,
    Dataset<Row> graphs,
    IngestReport cleaning) {

  public SparkGraph {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(vertices, "vertices");
    Objects.requireNonNull(edges, "edges");
  }

  public SparkGraph withVertices(Dataset<Row> newVertices) {
    return new SparkGraph(name, level, newVertices, edges, graphs, cleaning);
  }

  public SparkGraph withEdges(Dataset<Row> newEdges) {
    return new SparkGraph(name, level, vertices, newEdges, graphs, cleaning);
  }

  public SparkGraph withGraphs(Dataset<Row> newGraphs) {
    return new SparkGraph(name, level, vertices, edges, newGraphs, cleaning);
  }
}
