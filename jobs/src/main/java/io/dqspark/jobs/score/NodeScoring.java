package io.dqspark.jobs.score;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

import io.dqspark.jobs.common.GraphSchemas;
import io.dqspark.util.DqInputException;
import java.util.Arrays;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.CollectionAccumulator;

/**
 * Node-level scoring of one big graph, shared by {@code bin/dq score} and the Spark ML
 * {@code QuantizedGnnModel}: checks the model is node-level, gives the vertices parts when they
 * have none, and runs {@link PartitionedNodeScorer} (integer engine unless told otherwise).
 */
public final class NodeScoring {
  private NodeScoring() {}

  /**
   * @param vertices {@code id}, {@code features} and optionally {@code part}
   * @param edges {@code src}, {@code dst}
   * @param parts parts to hash ids into; null keeps the vertices' {@code part} column when they
   *     have one, else Spark's default parallelism (at least 2)
   * @return {@link PartitionedNodeScorer#SCHEMA} rows, cached (unpersist when done)
   */
  public static Dataset<Row> score(SparkSession spark, Dataset<Row> vertices, Dataset<Row> edges, ModelRef model,
      Integer parts, CollectionAccumulator<String> loads) {
    return score(spark, vertices, edges, model, ScoringEngine.INT8, parts, loads);
  }

  /** As {@link #score(SparkSession, Dataset, Dataset, ModelRef, Integer, CollectionAccumulator)}, with {@code engine}. */
  public static Dataset<Row> score(SparkSession spark, Dataset<Row> vertices, Dataset<Row> edges, ModelRef model,
      ScoringEngine engine, Integer parts, CollectionAccumulator<String> loads) {
    requireNodeLevel(model);
    return PartitionedNodeScorer.score(spark, withParts(spark, vertices, parts), edges, model, engine, loads);
  }

  public static void requireNodeLevel(ModelRef model) {
    if (!"node".equals(model.task())) {
      throw new DqInputException("model " + model.dir() + " is a " + model.task() + "-level " + model.arch()
          + " model; node scoring needs a node-level one (graph-level: the dq_predict_graph SQL function)");
    }
  }

  /** The vertices' parts when they have them (and no count is forced), else ids hashed into parts. */
  public static Dataset<Row> withParts(SparkSession spark, Dataset<Row> vertices, Integer parts) {
    boolean hasPart = Arrays.asList(vertices.columns()).contains(GraphSchemas.PART);
    if (hasPart && parts == null) {
      return vertices;
    }
    int k = parts != null ? parts : Math.max(2, spark.sparkContext().defaultParallelism());
    if (k < 1) {
      throw new DqInputException("parts must be >= 1, got " + k);
    }
    return vertices.withColumn(GraphSchemas.PART, pmod(xxhash64(col(GraphSchemas.ID)), lit((long) k)).cast("int"));
  }
}
