package io.dqspark.jobs.ml;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.dqspark.jobs.common.GraphSchemas;
import io.dqspark.util.DqInputException;
import java.util.Arrays;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A user's vertices DataFrame and named edges table turned into the canonical columns of design §3
 * that training and scoring read ({@code graph_id, id, features: array<float>, label: int, split}),
 * with errors that name the param and column at fault.
 */
final class GraphInput {
  private GraphInput() {}

  /** The edges table as {@code graph_id, src, dst} longs ({@code graph_id} 0 when absent). */
  static Dataset<Row> edges(SparkSession spark, String table) {
    if (table == null || table.isBlank()) {
      throw new DqInputException("edgesTable is not set: name a temp view or table holding the edges"
          + " (graph_id, src, dst), e.g. edges.createOrReplaceTempView(\"edges\"); setEdgesTable(\"edges\");"
          + " or pass a GraphFrame, which carries its edges");
    }
    if (!spark.catalog().tableExists(table)) {
      throw new DqInputException("edgesTable = '" + table + "': no such table or view in this session"
          + " (temp views live only in the session that created them)");
    }
    return edges(spark.table(table), "edgesTable '" + table + "'");
  }

  /** Edges handed in as a DataFrame (a GraphFrame's), checked and brought to the canonical columns. */
  static Dataset<Row> edges(Dataset<Row> e, String where) {
    StructType s = e.schema();
    for (String c : new String[] {GraphSchemas.SRC, GraphSchemas.DST}) {
      requireIntegral(s, c, where);
    }
    Column graph = has(s, GraphSchemas.GRAPH_ID) ? col(GraphSchemas.GRAPH_ID).cast("long") : lit(0L);
    return e.select(graph.as(GraphSchemas.GRAPH_ID), col(GraphSchemas.SRC).cast("long").as(GraphSchemas.SRC),
        col(GraphSchemas.DST).cast("long").as(GraphSchemas.DST));
  }

  /** Checks the columns scoring reads: {@code id} and the features. */
  static void checkScoringColumns(StructType s, String featuresCol) {
    requireIntegral(s, GraphSchemas.ID, "the vertices");
    features(s, featuresCol);
  }

  /** Checks the extra columns training reads: the label (integral, or integral-valued doubles) and split. */
  static void checkTrainingColumns(StructType s, String featuresCol, String labelCol, String splitCol) {
    checkScoringColumns(s, featuresCol);
    DataType label = field(s, labelCol, "labelCol").dataType();
    if (!(label instanceof NumericType)) {
      throw new DqInputException("labelCol = '" + labelCol + "' is " + label.simpleString() + "; expected a number");
    }
    DataType split = field(s, splitCol, "splitCol").dataType();
    if (!split.equals(DataTypes.StringType)) {
      throw new DqInputException("splitCol = '" + splitCol + "' is " + split.simpleString()
          + "; expected a string (train, val, test or null)");
    }
  }

  /** The canonical vertices table training writes. */
  static Dataset<Row> trainingVertices(Dataset<?> in, String featuresCol, String labelCol, String splitCol) {
    StructType s = in.schema();
    checkTrainingColumns(s, featuresCol, labelCol, splitCol);
    DataType labelType = s.apply(labelCol).dataType();
    if (labelType.equals(DataTypes.DoubleType) || labelType.equals(DataTypes.FloatType)) {
      // Spark ML keeps labels as doubles; a class must still be a whole number
      long fractional = in.filter(col(labelCol).isNotNull().and(col(labelCol).notEqual(
          org.apache.spark.sql.functions.floor(col(labelCol))))).count();
      if (fractional > 0) {
        throw new DqInputException("labelCol = '" + labelCol + "': " + fractional
            + " labels are not whole numbers; a class label must be 0, 1, 2, ...");
      }
    }
    Column graph = has(s, GraphSchemas.GRAPH_ID) ? col(GraphSchemas.GRAPH_ID).cast("long") : lit(0L);
    return in.toDF().select(graph.as(GraphSchemas.GRAPH_ID), col(GraphSchemas.ID).cast("long").as(GraphSchemas.ID),
        features(s, featuresCol).as(GraphSchemas.FEATURES), col(labelCol).cast("int").as(GraphSchemas.LABEL),
        col(splitCol).as(GraphSchemas.SPLIT));
  }

  /** {@code id, features} (and {@code part} when the vertices have one) for the scorer. */
  static Dataset<Row> scoringVertices(Dataset<?> in, String featuresCol) {
    StructType s = in.schema();
    checkScoringColumns(s, featuresCol);
    Column id = col(GraphSchemas.ID).cast("long").as(GraphSchemas.ID);
    Column f = features(s, featuresCol).as(GraphSchemas.FEATURES);
    return has(s, GraphSchemas.PART)
        ? in.toDF().select(id, f, col(GraphSchemas.PART).cast("int").as(GraphSchemas.PART))
        : in.toDF().select(id, f);
  }

  /** The features column as {@code array<float>}, whatever accepted type it has. */
  private static Column features(StructType s, String featuresCol) {
    DataType t = field(s, featuresCol, "featuresCol").dataType();
    if (t.equals(SQLDataTypes.VectorType())) {
      return org.apache.spark.ml.functions.vector_to_array(col(featuresCol), "float32");
    }
    if (t instanceof ArrayType a && a.elementType() instanceof NumericType) {
      return col(featuresCol).cast(DataTypes.createArrayType(DataTypes.FloatType));
    }
    throw new DqInputException("featuresCol = '" + featuresCol + "' is " + t.simpleString()
        + "; expected array<float>, array<double> or an ml Vector");
  }

  private static StructField field(StructType s, String name, String param) {
    if (name == null || !has(s, name)) {
      throw new DqInputException(param + " = '" + name + "': no such column in the vertices (columns: "
          + String.join(", ", s.fieldNames()) + ")");
    }
    return s.apply(name);
  }

  private static void requireIntegral(StructType s, String column, String where) {
    if (!has(s, column)) {
      throw new DqInputException(where + " has no column '" + column + "' (columns: "
          + String.join(", ", s.fieldNames()) + ")");
    }
    DataType t = s.apply(column).dataType();
    if (!(t.equals(DataTypes.LongType) || t.equals(DataTypes.IntegerType) || t.equals(DataTypes.ShortType)
        || t.equals(DataTypes.ByteType))) {
      throw new DqInputException(where + ": column '" + column + "' is " + t.simpleString() + "; expected long or int");
    }
  }

  private static boolean has(StructType s, String name) {
    return Arrays.asList(s.fieldNames()).contains(name);
  }
}
