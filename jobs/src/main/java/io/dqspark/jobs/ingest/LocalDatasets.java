package io.dqspark.jobs.ingest;

import io.dqspark.graph.EdgeTable;
import io.dqspark.graph.GraphDataset;
import io.dqspark.graph.GraphTable;
import io.dqspark.graph.Split;
import io.dqspark.graph.VertexTable;
import io.dqspark.jobs.common.GraphSchemas;
import io.dqspark.jobs.common.IngestReport;
import io.dqspark.jobs.common.SparkGraph;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * Turns a dataset loaded in the driver by a lib loader (Planetoid, TU: formats that are small by
 * nature and cannot be split) into DataFrames.
 */
public final class LocalDatasets {
  private LocalDatasets() {}

  public static SparkGraph toSpark(SparkSession spark, GraphDataset data, String source, String format) {
    VertexTable v = data.vertices();
    List<Row> vertexRows = new ArrayList<>(v.size());
    for (int i = 0; i < v.size(); i++) {
      float[] f = v.features(i);
      Float[] boxed = new Float[f.length];
      for (int k = 0; k < f.length; k++) {
        boxed[k] = f[k];
      }
      vertexRows.add(RowFactory.create(v.graphId(i), v.id(i), boxed,
          v.hasLabel(i) ? v.label(i) : null, label(v.split(i))));
    }
    EdgeTable e = data.edges();
    List<Row> edgeRows = new ArrayList<>(e.size());
    for (int i = 0; i < e.size(); i++) {
      edgeRows.add(RowFactory.create(e.graphId(i), e.src(i), e.dst(i)));
    }
    Dataset<Row> graphs = null;
    if (data.graphs() != null) {
      GraphTable g = data.graphs();
      List<Row> graphRows = new ArrayList<>(g.size());
      for (int i = 0; i < g.size(); i++) {
        graphRows.add(RowFactory.create(g.graphId(i), g.label(i) == VertexTable.NO_LABEL ? null : g.label(i),
            label(g.split(i))));
      }
      graphs = spark.createDataFrame(graphRows, GraphSchemas.GRAPHS);
    }
    int slices = Math.max(1, Math.min(64, v.size() / 20_000));
    Dataset<Row> vertices = spark.createDataFrame(vertexRows, GraphSchemas.VERTICES).repartition(slices);
    Dataset<Row> edges = spark.createDataFrame(edgeRows, GraphSchemas.EDGES).repartition(slices);
    var c = data.cleaning();
    IngestReport report = new IngestReport(source, format, v.size(), c.rawEdges(), c.selfLoops(),
        c.unknownVertices(), c.duplicates(), e.size());
    return new SparkGraph(data.name(), data.level(), vertices, edges, graphs, report);
  }

  private static String label(Split s) {
    return s == null ? null : s.label();
  }
}
