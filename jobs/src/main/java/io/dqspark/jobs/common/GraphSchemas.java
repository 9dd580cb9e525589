package io.dqspark.jobs.common;

import static org.apache.spark.sql.types.DataTypes.FloatType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import java.util.List;
import org.apache.spark.sql.types.StructType;

/** The canonical table schemas of design §3, with GraphFrames' column names. */
public final class GraphSchemas {
  public static final String GRAPH_ID = "graph_id";
  public static final String ID = "id";
  public static final String SRC = "src";
  public static final String DST = "dst";
  public static final String FEATURES = "features";
  public static final String LABEL = "label";
  public static final String SPLIT = "split";
  public static final String IN_DEGREE = "in_degree";
  public static final String MASK_PROB = "mask_prob";
  public static final String PART = "part";

  public static final StructType VERTICES = createStructType(List.of(
      createStructField(GRAPH_ID, LongType, false),
      createStructField(ID, LongType, false),
      createStructField(FEATURES, createArrayType(FloatType, true), false),
      createStructField(LABEL, IntegerType, true),
      createStructField(SPLIT, StringType, true)));

  public static final StructType EDGES = createStructType(List.of(
      createStructField(GRAPH_ID, LongType, false),
      createStructField(SRC, LongType, false),
      createStructField(DST, LongType, false)));

  public static final StructType GRAPHS = createStructType(List.of(
      createStructField(GRAPH_ID, LongType, false),
      createStructField(LABEL, IntegerType, true),
      createStructField(SPLIT, StringType, true)));

  private GraphSchemas() {}
}
