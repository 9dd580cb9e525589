package io.dqspark.jobs.score;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;

import io.dqspark.jobs.common.GraphSchemas;
import io.dqspark.jobs.common.SparkGraph;
import io.dqspark.util.DqInputException;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Graph-level integer scoring of a graph-level dataset in canonical tables: every graph becomes one
 * row ({@code features} in node-id order, {@code src}/{@code dst} as indices into them) and is
 * classified by the {@code dq_predict_graph} SQL function, so {@code bin/dq score} runs exactly the
 * code a SQL user calls, model cache and input checks included.
 */
public final class GraphScoring {
  /** Output columns: graph id, predicted class, class probabilities. */
  public static final List<String> COLUMNS = List.of(GraphSchemas.GRAPH_ID, "prediction", "probabilities");

  private GraphScoring() {}

  /**
   * One row per graph: {@code graph_id, features: array<array<float>>, src, dst: array<int>}. A
   * graph without edges gets empty arrays (GIN still classifies it from its nodes).
   */
  public static Dataset<Row> graphRows(SparkGraph graph) {
    Dataset<Row> nodes = graph.vertices()
        .withColumn("idx", row_number().over(Window.partitionBy(GraphSchemas.GRAPH_ID)
            .orderBy(GraphSchemas.ID)).minus(1))
        .select(GraphSchemas.GRAPH_ID, GraphSchemas.ID, "idx", GraphSchemas.FEATURES);
    Dataset<Row> perGraph = nodes.groupBy(GraphSchemas.GRAPH_ID)
        .agg(sort_array(collect_list(struct(col("idx"), col(GraphSchemas.FEATURES)))).as("nodes"))
        .select(col(GraphSchemas.GRAPH_ID), expr("transform(nodes, n -> n.features)").as(GraphSchemas.FEATURES));
    Dataset<Row> index = nodes.select(GraphSchemas.GRAPH_ID, GraphSchemas.ID, "idx");
    Dataset<Row> edges = graph.edges()
        .join(index.withColumnRenamed(GraphSchemas.ID, GraphSchemas.SRC).withColumnRenamed("idx", "s"),
            new String[] {GraphSchemas.GRAPH_ID, GraphSchemas.SRC}, "inner")
        .join(index.withColumnRenamed(GraphSchemas.ID, GraphSchemas.DST).withColumnRenamed("idx", "d"),
            new String[] {GraphSchemas.GRAPH_ID, GraphSchemas.DST}, "inner")
        .groupBy(GraphSchemas.GRAPH_ID)
        .agg(collect_list(struct(col("s"), col("d"))).as("pairs"));
    Column none = expr("cast(array() as array<int>)");
    return perGraph.join(edges, new String[] {GraphSchemas.GRAPH_ID}, "left")
        .select(col(GraphSchemas.GRAPH_ID), col(GraphSchemas.FEATURES),
            coalesce(expr("transform(pairs, p -> p.s)"), none).as(GraphSchemas.SRC),
            coalesce(expr("transform(pairs, p -> p.d)"), none).as(GraphSchemas.DST));
  }

  /**
   * Predictions for every graph of a graph-level dataset ({@link #COLUMNS}); needs {@link
   * DqFunctions#register} in the graph's session.
   */
  public static Dataset<Row> score(SparkGraph graph, ModelRef model) {
    if (!"graph".equals(model.task())) {
      throw new DqInputException("model " + model.dir() + " is a " + model.task() + "-level " + model.arch()
          + " model; graph scoring needs a graph-level one");
    }
    return graphRows(graph)
        .select(col(GraphSchemas.GRAPH_ID), expr("dq_predict_graph(" + sqlString(model.dir())
            + ", features, src, dst)").as("p"))
        .select(col(GraphSchemas.GRAPH_ID), col("p.prediction").as("prediction"),
            col("p.probabilities").as("probabilities"));
  }

  private static String sqlString(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /** Accuracy of graph predictions against the graphs' labels, over all of them and over {@code testIds}. */
  public record Accuracy(long graphs, long labelled, long correct, long testTotal, long testCorrect) {
    public static Accuracy of(Dataset<Row> predictions, Dataset<Row> graphTable, List<Long> testIds) {
      Dataset<Row> joined = predictions.select(GraphSchemas.GRAPH_ID, "prediction")
          .join(graphTable.select(GraphSchemas.GRAPH_ID, GraphSchemas.LABEL),
              new String[] {GraphSchemas.GRAPH_ID}, "left");
      Column labelled = col(GraphSchemas.LABEL).isNotNull();
      Column right = labelled.and(col("prediction").equalTo(col(GraphSchemas.LABEL)));
      Column test = testIds == null ? lit(false) : col(GraphSchemas.GRAPH_ID).isin(testIds.toArray());
      Row r = joined.agg(org.apache.spark.sql.functions.count(lit(1)),
          count(labelled), count(right), count(test.and(labelled)), count(test.and(right))).first();
      return new Accuracy(r.getLong(0), r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4));
    }

    private static Column count(Column condition) {
      return org.apache.spark.sql.functions.sum(org.apache.spark.sql.functions.when(condition, 1L).otherwise(0L));
    }

    public double accuracy() {
      return (double) correct / labelled;
    }

    public double testAccuracy() {
      return (double) testCorrect / testTotal;
    }
  }
}
