package io.dqspark.jobs.score;

import io.dqspark.model.ClassScores;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF4;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.CollectionAccumulator;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/**
 * SQL functions that score one graph per row with an integer model directory:
 * <ul>
 *   <li>{@code dq_predict_graph(model, features, src, dst)} → {@code struct<prediction: int,
 *       probabilities: array<double>>}: a graph-level model's (GIN) class for the row's graph;
 *   <li>{@code dq_predict_nodes(model, features, src, dst)} → {@code array<struct<prediction,
 *       probabilities>>}: a node-level model's (GCN or GIN) class for every node of the row's graph.
 * </ul>
 * {@code model} is a model directory path; {@code features} is {@code array<array<float>>} (one
 * row per node, raw: rows are divided by their sum when the model's training settings say
 * {@code row_normalize}, and columns by the model's {@code feature_scale} when it records one,
 * exactly as training prepared them), {@code
 * src}/{@code dst} are arrays of node indices into it. A row whose {@code
 * model}, {@code features}, {@code src} or {@code dst} is null gives null. A wrong feature width,
 * a null/NaN/infinite feature or an edge naming a node outside the row's graph fails the query
 * with a {@link io.dqspark.util.DqInputException} naming the node or edge; the executor stays up.
 *
 * <p>Each executor JVM resolves a model path once (published model directories never change) and
 * loads the model once ({@link ModelCache}); {@link #loadsByExecutor()} counts those loads.
 *
 * <p>Two ways in, one implementation: {@link #register} adds the functions to a running session as
 * Java UDFs; {@link DqSqlExtensions} injects the same {@link #graphFunction()} and {@link
 * #nodesFunction()} into every session built with {@code spark.sql.extensions} (design §5.7).
 */
public final class DqFunctions implements Serializable {
  public static final StructType PREDICTION = DataTypes.createStructType(List.of(
      DataTypes.createStructField("prediction", DataTypes.IntegerType, false),
      DataTypes.createStructField("probabilities", DataTypes.createArrayType(DataTypes.DoubleType, false), false)));
  static final DataType NODE_PREDICTIONS = DataTypes.createArrayType(PREDICTION, false);
  static final String GRAPH = "dq_predict_graph";
  static final String NODES = "dq_predict_nodes";
  /**
   * Path → loaded model, per JVM: directories are immutable once published. Looked up once per row
   * by the path string, so no row hashes a whole {@link ModelRef}.
   */
  private static final ConcurrentHashMap<String, LoadedModel> LOADED = new ConcurrentHashMap<>();

  /** Null for the session extensions' functions, which have no SparkContext at hand: no counting. */
  private final CollectionAccumulator<String> loads;

  private DqFunctions(CollectionAccumulator<String> loads) {
    this.loads = loads;
  }

  /** Registers the functions in {@code spark}'s session; the handle reports model loads. */
  public static DqFunctions register(SparkSession spark) {
    DqFunctions f = new DqFunctions(spark.sparkContext().collectionAccumulator("dq model loads (SQL functions)"));
    spark.udf().register(GRAPH, f.graphFunction(), PREDICTION);
    spark.udf().register(NODES, f.nodesFunction(), NODE_PREDICTIONS);
    return f;
  }

  /** The functions without a load counter, for {@link DqSqlExtensions}. */
  static DqFunctions uncounted() {
    return new DqFunctions(null);
  }

  /** {@code dq_predict_graph} as a Java UDF returning {@link #PREDICTION}. */
  UDF4<String, Seq<Seq<Object>>, Seq<Object>, Seq<Object>, Row> graphFunction() {
    return this::predictGraph;
  }

  /** {@code dq_predict_nodes} as a Java UDF returning {@link #NODE_PREDICTIONS}. */
  UDF4<String, Seq<Seq<Object>>, Seq<Object>, Seq<Object>, Row[]> nodesFunction() {
    return this::predictNodes;
  }

  /**
   * Models loaded by the functions' tasks so far, per executor id (the driver's value); empty for
   * the extensions' functions, which count no loads.
   */
  public Map<String, Integer> loadsByExecutor() {
    Map<String, Integer> by = new TreeMap<>();
    if (loads == null) {
      return by;
    }
    for (String e : loads.value()) {
      by.merge(e, 1, Integer::sum);
    }
    return by;
  }

  Row predictGraph(String model, Seq<Seq<Object>> features, Seq<Object> src, Seq<Object> dst) {
    if (model == null || features == null || src == null || dst == null) {
      return null;
    }
    LoadedModel m = load(model);
    RowGraph g = RowGraph.of(rows(features), list(src), list(dst), m.ref(), "dq_predict_graph");
    GraphClassifier.Prediction p = m.requireGraphClassifier()
        .classify(g.features(), g.nodes(), g.src(), g.dst());
    return RowFactory.create(p.prediction(), p.probabilities());
  }

  Row[] predictNodes(String model, Seq<Seq<Object>> features, Seq<Object> src, Seq<Object> dst) {
    if (model == null || features == null || src == null || dst == null) {
      return null;
    }
    LoadedModel m = load(model);
    RowGraph g = RowGraph.of(rows(features), list(src), list(dst), m.ref(), "dq_predict_nodes");
    if (!m.nodeLevel()) {
      throw new io.dqspark.util.DqInputException(m.ref() + ": dq_predict_nodes needs a node-level "
          + "model, this one classifies whole graphs (use dq_predict_graph)");
    }
    ClassScores r = m.scoreNodes(g.features(), g.nodes(), g.src(), g.dst());
    int[] predicted = r.predictions();
    Row[] out = new Row[g.nodes()];
    for (int v = 0; v < g.nodes(); v++) {
      out[v] = RowFactory.create(predicted[v], r.probabilities(v));
    }
    return out;
  }

  private LoadedModel load(String path) {
    return LOADED.computeIfAbsent(path, p -> ModelCache.get(ModelRef.resolve(new Configuration(), p), loads));
  }

  private static List<?> list(Seq<?> seq) {
    return JavaConverters.seqAsJavaList(seq);
  }

  /** The node rows as lists (null rows kept, for RowGraph to name). */
  private static List<?> rows(Seq<Seq<Object>> features) {
    List<Object> out = new ArrayList<>(features.size());
    for (Seq<Object> row : JavaConverters.seqAsJavaList(features)) {
      out.add(row == null ? null : JavaConverters.seqAsJavaList(row));
    }
    return out;
  }
}
