package io.dqspark.jobs.ingest;

import static io.dqspark.jobs.common.GraphSchemas.FEATURES;
import static io.dqspark.jobs.common.GraphSchemas.GRAPH_ID;
import static io.dqspark.jobs.common.GraphSchemas.ID;
import static io.dqspark.jobs.common.GraphSchemas.LABEL;
import static io.dqspark.jobs.common.GraphSchemas.SPLIT;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.dqspark.util.DqInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.functions;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;

/**
 * Brings user tables to the canonical column types: a missing {@code graph_id} is 0, features
 * may be {@code array<float|double>}, an ml {@code Vector}, or (CSV) a {@code ;}-joined string;
 * other columns (in_degree, mask_prob, part, ...) pass through unchanged.
 */
final class CanonicalColumns {
  private CanonicalColumns() {}

  static final DataType FLOAT_ARRAY = DataTypes.createArrayType(DataTypes.FloatType, true);

  /** Vertices with only ids: no features, no label, no split. */
  static Dataset<Row> bareVertices(Dataset<Row> ids) {
    return ids.select(lit(0L).as(GRAPH_ID), col(ID),
        array().cast(FLOAT_ARRAY).as(FEATURES),
        lit(null).cast(DataTypes.IntegerType).as(LABEL),
        lit(null).cast(DataTypes.StringType).as(SPLIT));
  }

  static Dataset<Row> vertices(Dataset<Row> df, String where) {
    require(df, where, ID);
    List<Column> cols = new ArrayList<>();
    cols.add(longColumn(df, GRAPH_ID, where, true).as(GRAPH_ID));
    cols.add(longColumn(df, ID, where, false).as(ID));
    cols.add(features(df, where).as(FEATURES));
    cols.add(intColumn(df, LABEL, where).as(LABEL));
    cols.add(has(df, SPLIT) ? col(SPLIT).cast(DataTypes.StringType).as(SPLIT) : lit(null).cast(DataTypes.StringType).as(SPLIT));
    for (String c : df.columns()) {
      if (!List.of(GRAPH_ID, ID, FEATURES, LABEL, SPLIT).contains(c)) {
        cols.add(col(c));
      }
    }
    return df.select(cols.toArray(new Column[0]));
  }

  static Dataset<Row> edges(Dataset<Row> df, String where) {
    require(df, where, "src", "dst");
    List<Column> cols = new ArrayList<>();
    cols.add(longColumn(df, GRAPH_ID, where, true).as(GRAPH_ID));
    cols.add(longColumn(df, "src", where, false).as("src"));
    cols.add(longColumn(df, "dst", where, false).as("dst"));
    for (String c : df.columns()) {
      if (!List.of(GRAPH_ID, "src", "dst").contains(c)) {
        cols.add(col(c));
      }
    }
    return df.select(cols.toArray(new Column[0]));
  }

  static Dataset<Row> graphs(Dataset<Row> df, String where) {
    require(df, where, GRAPH_ID);
    return df.select(longColumn(df, GRAPH_ID, where, false).as(GRAPH_ID),
        intColumn(df, LABEL, where).as(LABEL),
        has(df, SPLIT) ? col(SPLIT).cast(DataTypes.StringType).as(SPLIT) : lit(null).cast(DataTypes.StringType).as(SPLIT));
  }

  private static boolean has(Dataset<Row> df, String name) {
    return Arrays.asList(df.columns()).contains(name);
  }

  private static void require(Dataset<Row> df, String where, String... names) {
    for (String n : names) {
      if (!has(df, n)) {
        throw new DqInputException(where + ": required column '" + n + "' is missing (columns: "
            + String.join(", ", df.columns()) + ")");
      }
    }
  }

  private static Column longColumn(Dataset<Row> df, String name, String where, boolean optional) {
    if (!has(df, name)) {
      return lit(0L);
    }
    DataType t = df.schema().apply(name).dataType();
    if (t instanceof StringType) {
      failOnBadCast(df, name, DataTypes.LongType, where);
    } else if (!DataTypes.LongType.equals(t) && !DataTypes.IntegerType.equals(t) && !DataTypes.ShortType.equals(t)) {
      throw new DqInputException(where + ": column '" + name + "' has type " + t.simpleString()
          + ", expected an integer type");
    }
    return col(name).cast(DataTypes.LongType);
  }

  private static Column intColumn(Dataset<Row> df, String name, String where) {
    if (!has(df, name)) {
      return lit(null).cast(DataTypes.IntegerType);
    }
    DataType t = df.schema().apply(name).dataType();
    if (t instanceof StringType) {
      failOnBadCast(df, name, DataTypes.IntegerType, where);
    } else if (!DataTypes.IntegerType.equals(t) && !DataTypes.LongType.equals(t) && !DataTypes.ShortType.equals(t)) {
      throw new DqInputException(where + ": column '" + name + "' has type " + t.simpleString()
          + ", expected an integer type");
    }
    return col(name).cast(DataTypes.IntegerType);
  }

  private static Column features(Dataset<Row> df, String where) {
    if (!has(df, FEATURES)) {
      return array().cast(FLOAT_ARRAY);
    }
    StructField f = df.schema().apply(FEATURES);
    DataType t = f.dataType();
    if (t instanceof ArrayType) {
      return col(FEATURES).cast(FLOAT_ARRAY);
    }
    if (t instanceof StringType) {
      Column parsed = when(col(FEATURES).isNull().or(col(FEATURES).equalTo("")), array().cast(FLOAT_ARRAY))
          .otherwise(expr("transform(split(features, ';'), x -> cast(trim(x) as float))"));
      Dataset<Row> bad = df.where(expr("features IS NOT NULL AND features <> '' AND "
          + "exists(split(features, ';'), x -> cast(trim(x) as float) IS NULL)"));
      failIfAny(bad, where, "features", "a value that is not a number");
      return parsed;
    }
    if ("vector".equals(t.typeName()) || t.getClass().getSimpleName().startsWith("VectorUDT")) {
      return functions.vector_to_array(col(FEATURES), "float32").cast(FLOAT_ARRAY);
    }
    throw new DqInputException(where + ": column 'features' has type " + t.simpleString()
        + ", expected array<float>, array<double>, an ml Vector or (CSV) ';'-separated numbers");
  }

  private static void failOnBadCast(Dataset<Row> df, String name, DataType type, String where) {
    Dataset<Row> bad = df.where(col(name).isNotNull().and(col(name).notEqual(""))
        .and(col(name).cast(type).isNull()));
    failIfAny(bad, where, name, "a value that is not " + (type == DataTypes.IntegerType ? "an int" : "a long"));
  }

  private static void failIfAny(Dataset<Row> bad, String where, String column, String what) {
    List<Row> example = bad.select(input_file_name().as("_file"), col(column)).limit(1).collectAsList();
    if (!example.isEmpty()) {
      Row r = example.get(0);
      throw new DqInputException(where + ": file " + r.getString(0) + ": column '" + column + "' holds "
          + what + ": '" + r.get(1) + "'");
    }
  }
}
