package io.dqspark.jobs.score;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import io.dqspark.jobs.common.GraphSchemas;
import io.dqspark.model.ClassScores;
import io.dqspark.util.DqInputException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.CollectionAccumulator;
import scala.Tuple2;

/**
 * Node-level scoring of one big graph with an integer GCN or GIN, layer by layer over its parts
 * (issue 5): each part holds its own nodes and its halo; per layer every part runs one integer pass
 * over them ({@link PartEngine#layer}) and sends its own nodes' int8 output codes to itself and to
 * the parts whose halo holds them, through a Spark shuffle. No task ever holds more than one part,
 * and the result is the whole-graph engine's exactly: a node's layer output depends only on its
 * own row and its in-neighbours' codes (and, for GCN, whole-graph degrees, which every part has).
 * GIN's layer 0 also reads the own nodes' float features (its self term), which stay in their part.
 */
public final class PartitionedNodeScorer {
  /** Output columns: {@code id}, {@code prediction}, {@code probabilities} (softmax of the logits). */
  public static final StructType SCHEMA = DataTypes.createStructType(List.of(
      DataTypes.createStructField(GraphSchemas.ID, DataTypes.LongType, false),
      DataTypes.createStructField("prediction", DataTypes.IntegerType, false),
      DataTypes.createStructField("probabilities",
          DataTypes.createArrayType(DataTypes.DoubleType, false), false)));

  private PartitionedNodeScorer() {}

  /**
   * @param vertices {@code id}, {@code part} (0..parts-1) and {@code features}
   * @param edges {@code src}, {@code dst}; self-loops are ignored (the GCN adds its own)
   * @param loads receives one entry per model load, naming the executor (may be null)
   * @return {@link #SCHEMA} rows, one per vertex; cached (unpersist it when done)
   */
  public static Dataset<Row> score(SparkSession spark, Dataset<Row> vertices, Dataset<Row> edges,
      ModelRef model, CollectionAccumulator<String> loads) {
    if (!java.util.Set.of(io.dqspark.model.QuantizedModel.GCN, io.dqspark.model.QuantizedModel.GIN,
        io.dqspark.model.QuantizedModel.GAT).contains(model.arch())) {
      throw new DqInputException(model + ": node-level scoring of a partitioned graph needs a GCN, GIN"
          + " or GAT model, not " + model.arch());
    }
    Row range = vertices.agg(org.apache.spark.sql.functions.min(GraphSchemas.PART),
        org.apache.spark.sql.functions.max(GraphSchemas.PART)).first();
    if (range.isNullAt(1)) {
      throw new DqInputException("the vertex table is empty: nothing to score");
    }
    if (range.getInt(0) < 0) {
      throw new DqInputException("part numbers must be >= 0, found " + range.getInt(0));
    }
    int parts = range.getInt(1) + 1;
    HashPartitioner byPart = new HashPartitioner(parts);
    JavaPairRDD<Integer, PartGraph> graphs = partGraphs(vertices, edges, byPart);
    graphs.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      JavaPairRDD<Integer, Tuple2<Long, float[]>> features = vertices
          .select(col(GraphSchemas.PART), col(GraphSchemas.ID), col(GraphSchemas.FEATURES))
          .javaRDD().mapToPair(r -> {
            long id = r.getLong(1);
            if (r.isNullAt(0)) {
              throw new DqInputException("vertex " + id + " has no part");
            }
            float[] f = new float[model.featureDim()];
            FeatureRows.copy(r.isNullAt(2) ? null : r.getList(2), model.featureDim(), "vertex " + id, f, 0);
            if (model.rowNormalize()) {
              FeatureRows.rowNormalize(f, 0, f.length);
            }
            return new Tuple2<>(r.getInt(0), new Tuple2<>(id, f));
          });
      // the driver reads the layer count through the same cache (in local mode it is the executor too)
      PartEngine engine = PartEngine.of(ModelCache.get(model, loads));
      // layer 0 of a GIN also reads its own nodes' features: then they are used twice
      JavaPairRDD<Integer, Tuple2<Long, float[]>> firstLayerFeatures =
          engine.firstLayerReadsFeatures() ? features.persist(StorageLevel.MEMORY_AND_DISK()) : null;
      JavaPairRDD<Integer, Tuple2<Long, byte[]>> codes = features.cogroup(graphs, byPart)
          .flatMapToPair(p -> quantizeAndSend(p._2()._1(), only(p._2()._2()), model, loads));
      int layers = engine.layers();
      for (int li = 0; li < layers - 1; li++) {
        int layer = li;
        codes = inputs(codes, graphs, li == 0 ? firstLayerFeatures : null, byPart)
            .flatMapToPair(p -> layerAndSend(layer, p._2(), model, loads));
      }
      int last = layers - 1;
      JavaRDD<Row> rows = inputs(codes, graphs, last == 0 ? firstLayerFeatures : null, byPart)
          .flatMap(p -> lastLayer(last, p._2(), model, loads));
      Dataset<Row> out = spark.createDataFrame(rows, SCHEMA).persist(StorageLevel.MEMORY_AND_DISK());
      out.count(); // materialize before the part graphs and features are released
      if (firstLayerFeatures != null) {
        firstLayerFeatures.unpersist(false);
      }
      return out;
    } finally {
      graphs.unpersist(false);
    }
  }

  /**
   * What one part's pass of a layer reads: its graph, the codes it received, and its own nodes'
   * float features when the layer reads them (else null).
   */
  private record LayerInput(PartGraph graph, Iterable<Tuple2<Long, byte[]>> codes,
      Iterable<Tuple2<Long, float[]>> features) implements java.io.Serializable {}

  /** Each part's layer input; {@code features} null when the layer reads codes only. */
  private static JavaPairRDD<Integer, LayerInput> inputs(JavaPairRDD<Integer, Tuple2<Long, byte[]>> codes,
      JavaPairRDD<Integer, PartGraph> graphs, JavaPairRDD<Integer, Tuple2<Long, float[]>> features,
      HashPartitioner byPart) {
    return features == null
        ? codes.cogroup(graphs, byPart).mapValues(v -> new LayerInput(only(v._2()), v._1(), null))
        : codes.cogroup(graphs, features, byPart).mapValues(v -> new LayerInput(only(v._2()), v._1(), v._3()));
  }

  private static <T> T only(Iterable<T> values) {
    Iterator<T> it = values.iterator();
    if (!it.hasNext()) {
      throw new IllegalStateException("a part has no graph");
    }
    return it.next();
  }

  /** Builds every part's graph with two joins and one co-group, keyed (and partitioned) by part. */
  static JavaPairRDD<Integer, PartGraph> partGraphs(Dataset<Row> vertices, Dataset<Row> edges,
      HashPartitioner byPart) {
    Dataset<Row> e = edges.select(col(GraphSchemas.SRC), col(GraphSchemas.DST))
        .filter(col(GraphSchemas.SRC).notEqual(col(GraphSchemas.DST)));
    Dataset<Row> inDegree = e.groupBy(col(GraphSchemas.DST).as(GraphSchemas.ID)).agg(count(lit(1)).as("k"));
    Dataset<Row> nodes = vertices.select(col(GraphSchemas.ID), col(GraphSchemas.PART))
        .join(inDegree, GraphSchemas.ID, "left")
        .select(col(GraphSchemas.ID), col(GraphSchemas.PART),
            coalesce(col("k"), lit(0L)).plus(1).cast("int").as("degree"));
    Dataset<Row> ej = e
        .join(nodes.select(col(GraphSchemas.ID).as(GraphSchemas.DST), col(GraphSchemas.PART)),
            GraphSchemas.DST, "left")
        .join(nodes.select(col(GraphSchemas.ID).as(GraphSchemas.SRC), col(GraphSchemas.PART).as("src_part"),
            col("degree").as("src_degree")), GraphSchemas.SRC, "left")
        .persist(StorageLevel.MEMORY_AND_DISK());
    List<Row> unknown = ej.filter(col(GraphSchemas.PART).isNull().or(col("src_part").isNull()))
        .limit(1).collectAsList();
    if (!unknown.isEmpty()) {
      Row r = unknown.get(0);
      throw new DqInputException("edge " + r.getAs(GraphSchemas.SRC) + " -> " + r.getAs(GraphSchemas.DST)
          + " names a node id that the vertex table lacks");
    }
    Dataset<Row> halo = ej.filter(col("src_part").notEqual(col(GraphSchemas.PART)))
        .select(col(GraphSchemas.PART), col(GraphSchemas.SRC).as(GraphSchemas.ID),
            col("src_degree").as("degree"))
        .distinct();
    Dataset<Row> sends = halo.groupBy(GraphSchemas.ID).agg(collect_set(GraphSchemas.PART).as("send_to"));
    Dataset<Row> own = nodes.join(sends, GraphSchemas.ID, "left")
        .select(col(GraphSchemas.PART), col(GraphSchemas.ID), col("degree"), lit(true).as("owned"),
            col("send_to"));
    Dataset<Row> members = own.unionByName(halo.select(col(GraphSchemas.PART), col(GraphSchemas.ID),
        col("degree"), lit(false).as("owned"),
        lit(null).cast(DataTypes.createArrayType(DataTypes.IntegerType)).as("send_to")));

    JavaPairRDD<Integer, PartGraph.Member> m = members.javaRDD().mapToPair(r -> {
      List<Integer> to = r.isNullAt(4) ? List.of() : r.getList(4);
      int[] sendTo = to.stream().mapToInt(Integer::intValue).sorted().toArray();
      return new Tuple2<>(r.getInt(0), new PartGraph.Member(r.getLong(1), r.getInt(2), r.getBoolean(3), sendTo));
    });
    JavaPairRDD<Integer, PartGraph.Edge> pe = ej.select(col(GraphSchemas.PART), col(GraphSchemas.SRC),
        col(GraphSchemas.DST)).javaRDD().mapToPair(r ->
        new Tuple2<>(r.getInt(0), new PartGraph.Edge(r.getLong(1), r.getLong(2))));
    JavaPairRDD<Integer, PartGraph> graphs = m.cogroup(pe, byPart).mapPartitionsToPair(it -> {
      List<Tuple2<Integer, PartGraph>> out = new ArrayList<>();
      while (it.hasNext()) {
        var p = it.next();
        List<PartGraph.Member> ms = new ArrayList<>();
        p._2()._1().forEach(ms::add);
        List<PartGraph.Edge> es = new ArrayList<>();
        p._2()._2().forEach(es::add);
        out.add(new Tuple2<>(p._1(), new PartGraph(p._1(), ms, es)));
      }
      return out.iterator();
    }, true);
    graphs.count(); // build once, while the joined edges are cached
    ej.unpersist(false);
    return graphs;
  }

  /** Layer 0's input: own nodes' features quantized, sent to this part and to the halos holding them. */
  private static Iterator<Tuple2<Integer, Tuple2<Long, byte[]>>> quantizeAndSend(
      Iterable<Tuple2<Long, float[]>> features, PartGraph g, ModelRef ref,
      CollectionAccumulator<String> loads) {
    PartEngine engine = PartEngine.of(ModelCache.get(ref, loads));
    List<Tuple2<Integer, Tuple2<Long, byte[]>>> out = new ArrayList<>();
    for (Tuple2<Long, float[]> f : features) {
      send(g, g.localOf(f._1()), f._1(), engine.inputCodes(f._2()), out);
    }
    return out.iterator();
  }

  private static void send(PartGraph g, int local, long id, byte[] codes,
      List<Tuple2<Integer, Tuple2<Long, byte[]>>> out) {
    Tuple2<Long, byte[]> msg = new Tuple2<>(id, codes);
    out.add(new Tuple2<>(g.part(), msg));
    for (int q : g.sendTo(local)) {
      out.add(new Tuple2<>(q, msg));
    }
  }

  /**
   * One integer pass over the part's nodes and halo; own nodes' output codes in local order.
   * {@code ownFeatures}: the own nodes' float features when the layer reads them, else null.
   */
  private static byte[] pass(int layer, LayerInput in, PartEngine engine, int featureDim) {
    PartGraph g = in.graph();
    Iterable<Tuple2<Long, byte[]>> inputs = in.codes();
    Iterable<Tuple2<Long, float[]>> ownFeatures = in.features();
    int width = engine.inputWidth(layer);
    byte[] x = new byte[g.nodes() * width];
    boolean[] seen = new boolean[g.nodes()];
    for (Tuple2<Long, byte[]> c : inputs) {
      int local = g.localOf(c._1());
      if (local < 0 || c._2().length != width) {
        throw new IllegalStateException("part " + g.part() + " received codes for node " + c._1()
            + " it does not hold");
      }
      System.arraycopy(c._2(), 0, x, local * width, width);
      seen[local] = true;
    }
    for (int i = 0; i < seen.length; i++) {
      if (!seen[i]) {
        throw new IllegalStateException("part " + g.part() + " got no layer-" + layer
            + " input for node " + g.id(i));
      }
    }
    float[] features = null;
    if (ownFeatures != null) {
      features = new float[g.nodes() * featureDim]; // halo rows stay 0: their outputs are not kept
      for (Tuple2<Long, float[]> row : ownFeatures) {
        System.arraycopy(row._2(), 0, features, g.localOf(row._1()) * featureDim, featureDim);
      }
    }
    byte[] y = engine.layer(layer, x, features, g);
    return java.util.Arrays.copyOf(y, g.owned() * engine.outputWidth(layer));
  }

  private static Iterator<Tuple2<Integer, Tuple2<Long, byte[]>>> layerAndSend(int layer, LayerInput in,
      ModelRef ref, CollectionAccumulator<String> loads) {
    PartEngine engine = PartEngine.of(ModelCache.get(ref, loads));
    PartGraph g = in.graph();
    byte[] y = pass(layer, in, engine, ref.featureDim());
    int h = engine.outputWidth(layer);
    List<Tuple2<Integer, Tuple2<Long, byte[]>>> out = new ArrayList<>();
    for (int v = 0; v < g.owned(); v++) {
      send(g, v, g.id(v), java.util.Arrays.copyOfRange(y, v * h, (v + 1) * h), out);
    }
    return out.iterator();
  }

  private static Iterator<Row> lastLayer(int layer, LayerInput in, ModelRef ref,
      CollectionAccumulator<String> loads) {
    PartEngine engine = PartEngine.of(ModelCache.get(ref, loads));
    PartGraph g = in.graph();
    ClassScores r = engine.scores(pass(layer, in, engine, ref.featureDim()), g.owned());
    int[] predicted = r.predictions();
    List<Row> rows = new ArrayList<>(g.owned());
    for (int v = 0; v < g.owned(); v++) {
      rows.add(RowFactory.create(g.id(v), predicted[v], r.probabilities(v)));
    }
    return rows.iterator();
  }
}
