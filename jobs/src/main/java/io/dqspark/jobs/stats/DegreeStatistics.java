package io.dqspark.jobs.stats;

import static io.dqspark.jobs.common.GraphSchemas.DST;
import static io.dqspark.jobs.common.GraphSchemas.GRAPH_ID;
import static io.dqspark.jobs.common.GraphSchemas.ID;
import static io.dqspark.jobs.common.GraphSchemas.IN_DEGREE;
import static io.dqspark.jobs.common.GraphSchemas.MASK_PROB;
import static io.dqspark.jobs.common.GraphSchemas.SRC;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;

import io.dqspark.graph.GraphLevel;
import io.dqspark.jobs.common.SparkGraph;
import io.dqspark.stats.DegreeSummary;
import io.dqspark.stats.ProtectionRule;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.storage.StorageLevel;
import org.graphframes.GraphFrame;

/**
 * In-degree (GraphFrames' {@code inDegrees}) and protection probability with DataFrame
 * aggregations on the executors; nothing proportional to the graph reaches the driver, only the
 * count of nodes per degree.
 *
 * <p>The CDF works on the small table of (scope, degree, nodes): a window per scope (graph, or
 * the whole graph) accumulates the node counts in degree order, and the probability is joined
 * back to the vertices by (scope, degree). The arithmetic is {@link ProtectionRule#probability}'s,
 * operation for operation, so the values equal the single-JVM ones bit for bit.
 */
public final class DegreeStatistics {
  private static final String SCOPE = "_scope";

  /** Vertices with {@code in_degree} and {@code mask_prob}, and the summary for stats.json. */
  public record Result(SparkGraph graph, DegreeSummary summary) {}

  private DegreeStatistics() {}

  /** Per graph for graph-level data, over the whole graph for node-level data (design §4). */
  public static Result compute(SparkGraph g, ProtectionRule rule) {
    return compute(g, rule, g.level() == GraphLevel.GRAPH);
  }

  public static Result compute(SparkGraph g, ProtectionRule rule, boolean perGraph) {
    Dataset<Row> indeg = inDegrees(g);
    Dataset<Row> withDegree = g.vertices().drop(IN_DEGREE, MASK_PROB)
        .join(indeg, joinKeys(), "left")
        .withColumn(IN_DEGREE, coalesce(col(IN_DEGREE), lit(0)))
        .withColumn(SCOPE, perGraph ? col(GRAPH_ID) : lit(0L))
        // Read three times below (CDF table, output rows, summary): keep the edge aggregation's result.
        .persist(StorageLevel.MEMORY_AND_DISK());

    Dataset<Row> perDegree = withDegree.groupBy(SCOPE, IN_DEGREE).agg(count(lit(1)).as("_nodes"))
        .persist(StorageLevel.MEMORY_AND_DISK());
    WindowSpec upToDegree = Window.partitionBy(SCOPE).orderBy(IN_DEGREE)
        .rowsBetween(Window.unboundedPreceding(), Window.currentRow());
    WindowSpec wholeScope = Window.partitionBy(SCOPE);
    Column atMost = sum(col("_nodes")).over(upToDegree).cast("double");
    Column nodes = sum(col("_nodes")).over(wholeScope).cast("double");
    Dataset<Row> probability = perDegree
        .withColumn(MASK_PROB, lit(rule.pLow()).plus(lit(rule.span()).multiply(atMost.divide(nodes))))
        .select(SCOPE, IN_DEGREE, MASK_PROB);
    if (!perGraph) {
      probability = broadcast(probability);
    }
    Dataset<Row> vertices = withDegree.join(probability, new String[] {SCOPE, IN_DEGREE})
        .select(outputColumns(g.vertices().drop(IN_DEGREE, MASK_PROB).columns()));

    List<Row> counts = perDegree.groupBy(IN_DEGREE).agg(sum("_nodes")).collectAsList();
    TreeMap<Integer, Long> nodesPerDegree = new TreeMap<>();
    long edges = 0;
    for (Row r : counts) {
      nodesPerDegree.put(r.getInt(0), r.getLong(1));
      edges += (long) r.getInt(0) * r.getLong(1);
    }
    Row p = vertices.agg(min(MASK_PROB), max(MASK_PROB), avg(MASK_PROB)).first();
    // Every cleaned edge ends at a known vertex, so the edge count is the sum of in-degrees.
    long graphs = withDegree.select(GRAPH_ID).distinct().count();
    DegreeSummary summary = DegreeSummary.of(nodesPerDegree, edges, graphs, rule, perGraph,
        new DegreeSummary.Range(p.getDouble(0), p.getDouble(1), p.getDouble(2)));
    return new Result(g.withVertices(vertices), summary);
  }

  /**
   * {@code graph_id, id, in_degree} for every vertex with an in-edge, by {@link GraphFrame#inDegrees}.
   * A vertex is keyed by (graph_id, id) because graph-level datasets reuse ids from graph to graph;
   * the vertices without in-edges come back in the left join above, with degree 0.
   */
  static Dataset<Row> inDegrees(SparkGraph g) {
    GraphFrame frame = GraphFrame.apply(
        g.vertices().select(vertexKey(ID).as(GraphFrame.ID())),
        g.edges().select(vertexKey(SRC).as(GraphFrame.SRC()), vertexKey(DST).as(GraphFrame.DST())));
    Dataset<Row> d = frame.inDegrees();
    return d.select(col(GraphFrame.ID() + "." + GRAPH_ID).as(GRAPH_ID), col(GraphFrame.ID() + "._v").as(ID),
        col("inDegree").as(IN_DEGREE));
  }

  private static Column vertexKey(String idColumn) {
    return struct(col(GRAPH_ID).as(GRAPH_ID), col(idColumn).as("_v"));
  }

  private static scala.collection.Seq<String> joinKeys() {
    return scala.collection.JavaConverters.asScalaBuffer(List.of(GRAPH_ID, ID)).toSeq();
  }

  private static Column[] outputColumns(String[] original) {
    Column[] cols = Arrays.stream(original).map(c -> col(c)).toArray(Column[]::new);
    Column[] out = Arrays.copyOf(cols, cols.length + 2);
    out[cols.length] = col(IN_DEGREE);
    out[cols.length + 1] = col(MASK_PROB);
    return out;
  }
}
