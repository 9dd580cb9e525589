package io.dqspark.jobs.score;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.SparkSessionExtensions;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.ExpressionInfo;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import scala.Function1;
import scala.Option;
import scala.Tuple3;
import scala.collection.JavaConverters;
import scala.collection.Seq;
import scala.runtime.BoxedUnit;

/**
 * {@code dq_predict_nodes} and {@code dq_predict_graph} in every session started with
 * <pre>spark.sql.extensions=io.dqspark.jobs.score.DqSqlExtensions</pre>
 * (spark-sql, PySpark, Zeppelin {@code %sql}: nothing to call first). Spark builds this class when
 * it creates a session and calls {@link #apply} with the session's extension points, before any
 * query runs; the functions are then found like built-in ones, {@code DESCRIBE FUNCTION} included.
 *
 * <p>The expression a call becomes is the one {@link DqFunctions#register} gives: the same Java
 * functions wrapped by Spark's own {@code functions.udf(UDF4, DataType)}, so nulls, types and errors
 * are alike. Model loads are not counted on this path: Spark hands an extension only the extension
 * points, not the session or its SparkContext, so there is no accumulator to report to. See design §5.7.
 */
public final class DqSqlExtensions implements Function1<SparkSessionExtensions, BoxedUnit> {
  private static final String ARGUMENTS = """

          Arguments:
            * model - a model directory path (string, any Hadoop URI), e.g. '/models/cora/v1'
            * features - array<array<float>>: one row per node of the row's graph, raw (the
                model's row normalization and feature scale are applied as in training)
            * src - array<bigint>: edge sources, as indices into features
            * dst - array<bigint>: edge targets, as indices into features
      """;

  /** Spark instantiates extensions by their public no-argument constructor. */
  public DqSqlExtensions() {}

  @Override
  public BoxedUnit apply(SparkSessionExtensions extensions) {
    DqFunctions f = DqFunctions.uncounted();
    extensions.injectFunction(description(DqFunctions.GRAPH,
        org.apache.spark.sql.functions.udf(f.graphFunction(), DqFunctions.PREDICTION),
        "_FUNC_(model, features, src, dst) - a graph-level model's class for the row's whole graph: "
            + "struct<prediction: int, probabilities: array<double>>; null when an argument is null."));
    extensions.injectFunction(description(DqFunctions.NODES,
        org.apache.spark.sql.functions.udf(f.nodesFunction(), DqFunctions.NODE_PREDICTIONS),
        "_FUNC_(model, features, src, dst) - a node-level model's class for every node of the row's "
            + "graph, in features' order: array<struct<prediction: int, probabilities: array<double>>>; "
            + "null when an argument is null."));
    return BoxedUnit.UNIT;
  }

  /** The function's name, what {@code DESCRIBE FUNCTION} shows, and the builder Spark calls per use. */
  static Tuple3<FunctionIdentifier, ExpressionInfo, Function1<Seq<Expression>, Expression>> description(
      String name, UserDefinedFunction udf, String usage) {
    UserDefinedFunction named = udf.withName(name);
    ExpressionInfo info = new ExpressionInfo(DqFunctions.class.getName(), null, name, usage, ARGUMENTS);
    Function1<Seq<Expression>, Expression> builder = children -> build(name, named, children);
    return new Tuple3<>(FunctionIdentifier.apply(name), info, builder);
  }

  private static Expression build(String name, UserDefinedFunction udf, Seq<Expression> children) {
    if (children.size() != 4) {
      throw DqSqlExtensions.<RuntimeException>rethrow(wrongArguments(name, children.size()));
    }
    List<Column> columns = new ArrayList<>(4);
    for (Expression e : JavaConverters.seqAsJavaList(children)) {
      columns.add(new Column(e));
    }
    return udf.apply(columns.toArray(new Column[0])).expr();
  }

  /**
   * Throws {@code e} as is: Spark's analyzer expects an AnalysisException from a builder (Scala has
   * no checked exceptions), which Java would otherwise have to wrap.
   */
  @SuppressWarnings("unchecked")
  private static <T extends Throwable> RuntimeException rethrow(Throwable e) throws T {
    throw (T) e;
  }

  /**
   * Spark's own error class for a wrong argument count (WRONG_NUM_ARGS, SQLSTATE 42605), with a
   * message that names the function's arguments rather than pointing at Spark's documentation.
   */
  static AnalysisException wrongArguments(String name, int actual) {
    String message = "[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] " + name + " takes 4 arguments (model, features, "
        + "src, dst), got " + actual + ". See DESCRIBE FUNCTION EXTENDED " + name + ".";
    scala.collection.immutable.Map<String, String> parameters = scala.collection.immutable.Map$.MODULE$
        .<String, String>empty()
        .updated("functionName", "`" + name + "`")
        .updated("expectedNum", "4")
        .updated("actualNum", String.valueOf(actual))
        .updated("docroot", "https://spark.apache.org/docs/latest");
    return new AnalysisException(message, Option.empty(), Option.empty(), Option.empty(),
        Option.apply("WRONG_NUM_ARGS.WITHOUT_SUGGESTION"), parameters, new org.apache.spark.QueryContext[0]);
  }
}
