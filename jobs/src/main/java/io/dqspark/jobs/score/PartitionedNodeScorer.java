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
 * Node-level scoring of one big graph, layer by layer over its parts (issue 5), with the integer
 * engine or the model's FP32 network ({@link ScoringEngine}): each part holds its own nodes and its
 * halo; per layer every part runs one pass over them ({@link PartEngine#layer}) and sends its own
 * nodes' output rows (int8 codes, or floats) to itself and to the parts whose halo holds them,
 * through a Spark shuffle, one {@link RowBlock} per pair of parts. No task ever holds more than one
 * part, and the result is the whole-graph engine's: a node's layer output depends only on its own
 * row and its in-neighbours' rows (and, for GCN, whole-graph degrees, which every part has); the
 * integer engine reproduces it exactly, the FP32 one up to the order of its float sums. GIN's
 * layer 0 also reads the own nodes' float features (its self term), which stay in their part.
 *
 * <p>The RDDs are named ({@link ScoringStages#INPUT}, {@link ScoringStages#layer}) so that the
 * stage metrics say which layer a stage ran and how many bytes it shuffled.
 */
public final class PartitionedNodeScorer {
  /** Output columns: {@code id}, {@code prediction}, {@code probabilities} (softmax of the logits). */
  public static final StructType SCHEMA = DataTypes.createStructType(List.of(
      DataTypes.createStructField(GraphSchemas.ID, DataTypes.LongType, false),
      DataTypes.createStructField("prediction", DataTypes.IntegerType, false),
      DataTypes.createStructField("probabilities",
          DataTypes.createArrayType(DataTypes.DoubleType, false), false)));

  private PartitionedNodeScorer() {}

  /** Integer scoring: {@link #score(SparkSession, Dataset, Dataset, ModelRef, ScoringEngine, CollectionAccumulator)}. */
  public static Dataset<Row> score(SparkSession spark, Dataset<Row> vertices, Dataset<Row> edges,
      ModelRef model, CollectionAccumulator<String> loads) {
    return score(spark, vertices, edges, model, ScoringEngine.INT8, loads);
  }

  /**
   * @param vertices {@code id}, {@code part} (0..parts-1) and {@code features}
   * @param edges {@code src}, {@code dst}; self-loops are ignored (the GCN adds its own)
   * @param engine the integer engine, or the model's FP32 network
   * @param loads receives one entry per model load, naming the executor (may be null)
   * @return {@link #SCHEMA} rows, one per vertex; cached (unpersist it when done)
   */
  public static Dataset<Row> score(SparkSession spark, Dataset<Row> vertices, Dataset<Row> edges,
      ModelRef model, ScoringEngine engine, CollectionAccumulator<String> loads) {
    if (!java.util.Set.of(io.dqspark.model.QuantizedModel.GCN, io.dqspark.model.QuantizedModel.GIN,
        io.dqspark.model.QuantizedModel.GAT).contains(model.arch())) {
      throw new DqInputException(model + ": node-level scoring of a partitioned graph needs a GCN, GIN"
          + " or GAT model, not " + model.arch());
    }
    // the driver reads the layer count through the same cache (in local mode it is the executor
    // too); loading here also fails early on a model the engine cannot score
    PartEngine driverEngine = PartEngine.of(model, engine, loads);
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
    try {
      int width = model.featureDim();
      boolean rowNormalize = model.rowNormalize();
      JavaPairRDD<Integer, PartBlocks.Features> features = vertices
          .select(col(GraphSchemas.PART), col(GraphSchemas.ID), col(GraphSchemas.FEATURES)).javaRDD()
          .mapPartitionsToPair(it -> PartBlocks.group(it, () -> PartBlocks.features(width, rowNormalize)));
      features.setName(ScoringStages.FEATURES);
      // layer 0 of a GIN also reads its own nodes' features: then they are used twice
      JavaPairRDD<Integer, PartBlocks.Features> firstLayerFeatures =
          driverEngine.firstLayerReadsFeatures() ? features.persist(StorageLevel.MEMORY_AND_DISK()) : null;
      JavaPairRDD<Integer, RowBlock> rows = features.cogroup(graphs, byPart)
          .flatMapToPair(p -> inputAndSend(p._2()._1(), only(p._2()._2()), model, engine, loads));
      rows.setName(ScoringStages.INPUT);
      int layers = driverEngine.layers();
      for (int li = 0; li < layers - 1; li++) {
        int layer = li;
        rows = inputs(rows, graphs, li == 0 ? firstLayerFeatures : null, byPart)
            .flatMapToPair(p -> layerAndSend(layer, p._2(), model, engine, loads));
        rows.setName(ScoringStages.layer(li));
      }
      int last = layers - 1;
      JavaRDD<Row> scored = inputs(rows, graphs, last == 0 ? firstLayerFeatures : null, byPart)
          .flatMap(p -> lastLayer(last, p._2(), model, engine, loads));
      scored.setName(ScoringStages.layer(last));
      Dataset<Row> out = spark.createDataFrame(scored, SCHEMA).persist(StorageLevel.MEMORY_AND_DISK());
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
   * What one part's pass of a layer reads: its graph, the row blocks it received, and its own nodes'
   * float features when the layer reads them (else null).
   */
  private record LayerInput(PartGraph graph, Iterable<RowBlock> blocks,
      Iterable<PartBlocks.Features> features) implements java.io.Serializable {}

  /** Each part's layer input; {@code features} null when the layer reads rows only. */
  private static JavaPairRDD<Integer, LayerInput> inputs(JavaPairRDD<Integer, RowBlock> rows,
      JavaPairRDD<Integer, PartGraph> graphs, JavaPairRDD<Integer, PartBlocks.Features> features,
      HashPartitioner byPart) {
    return features == null
        ? rows.cogroup(graphs, byPart).mapValues(v -> new LayerInput(only(v._2()), v._1(), null))
        : rows.cogroup(graphs, features, byPart).mapValues(v -> new LayerInput(only(v._2()), v._1(), v._3()));
  }

  private static <T> T only(Iterable<T> values) {
    Iterator<T> it = values.iterator();
    if (!it.hasNext()) {
      throw new IllegalStateException("a part has no graph");
    }
    return it.next();
  }

  /**
   * Builds every part's graph with two joins and one co-group, keyed (and partitioned) by part;
   * persisted (the caller unpersists it).
   */
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
            col("src_degree").as("degree"), col("src_part").as("owner"))
        .distinct();
    Dataset<Row> sends = halo.groupBy(GraphSchemas.ID).agg(collect_set(GraphSchemas.PART).as("send_to"));
    Dataset<Row> own = nodes.join(sends, GraphSchemas.ID, "left")
        .select(col(GraphSchemas.PART), col(GraphSchemas.ID), col("degree"),
            col(GraphSchemas.PART).as("owner"), col("send_to"));
    Dataset<Row> members = own.unionByName(halo.select(col(GraphSchemas.PART), col(GraphSchemas.ID),
        col("degree"), col("owner"), lit(null).cast(DataTypes.createArrayType(DataTypes.IntegerType)).as("send_to")));

    JavaPairRDD<Integer, PartBlocks.Members> m = members.javaRDD()
        .mapPartitionsToPair(it -> PartBlocks.group(it, PartBlocks::members));
    JavaPairRDD<Integer, PartBlocks.Edges> pe = ej.select(col(GraphSchemas.PART), col(GraphSchemas.SRC),
        col(GraphSchemas.DST)).javaRDD().mapPartitionsToPair(it -> PartBlocks.group(it, PartBlocks::edges));
    JavaPairRDD<Integer, PartGraph> graphs = m.cogroup(pe, byPart)
        .mapPartitionsToPair(it -> {
          List<Tuple2<Integer, PartGraph>> out = new ArrayList<>();
          while (it.hasNext()) {
            var p = it.next();
            out.add(new Tuple2<>(p._1(), new PartGraph(p._1(), p._2()._1(), p._2()._2())));
          }
          return out.iterator();
        }, true);
    graphs.setName(ScoringStages.PART_GRAPHS).persist(StorageLevel.MEMORY_AND_DISK());
    graphs.count(); // build once, while the joined edges are cached
    ej.unpersist(false);
    return graphs;
  }

  /**
   * Layer 0's input: the own nodes' features prepared by the engine (int8 codes or float rows),
   * sent to this part and to the parts whose halo holds them.
   */
  private static Iterator<Tuple2<Integer, RowBlock>> inputAndSend(Iterable<PartBlocks.Features> features,
      PartGraph g, ModelRef ref, ScoringEngine kind, CollectionAccumulator<String> loads) {
    PartEngine engine = PartEngine.of(ref, kind, loads);
    float[] own = ownFeatures(features, g, ref.featureDim(), g.owned());
    return send(g, engine.inputRows(own, g.owned()), engine.inputWidth(0) * engine.valueBytes());
  }

  /**
   * The own nodes' feature rows in local order, {@code nodes} rows (halo rows, when asked for,
   * stay 0: their outputs are not kept); fails unless every own node has exactly one.
   */
  private static float[] ownFeatures(Iterable<PartBlocks.Features> features, PartGraph g, int featureDim,
      int nodes) {
    float[] out = new float[Math.multiplyExact(nodes, featureDim)];
    int rows = 0;
    for (PartBlocks.Features block : features) {
      for (int i = 0; i < block.ids().length; i++) {
        int local = g.localOf(block.ids()[i]);
        if (local < 0 || local >= g.owned()) {
          throw new IllegalStateException("part " + g.part() + " got features of node " + block.ids()[i]
              + " it does not own");
        }
        System.arraycopy(block.rows(), i * featureDim, out, local * featureDim, featureDim);
        rows++;
      }
    }
    if (rows != g.owned()) {
      throw new DqInputException("part " + g.part() + " has " + rows + " feature rows for its " + g.owned()
          + " nodes: vertex ids must be unique");
    }
    return out;
  }

  /**
   * The blocks of one layer's output: {@code y} holds the own nodes' rows in local order
   * ({@code rowBytes} each); this part gets all of them, every other part its {@link PartGraph#sendList}.
   */
  private static Iterator<Tuple2<Integer, RowBlock>> send(PartGraph g, byte[] y, int rowBytes) {
    List<Tuple2<Integer, RowBlock>> out = new ArrayList<>();
    int ownBytes = Math.multiplyExact(g.owned(), rowBytes);
    out.add(new Tuple2<>(g.part(), new RowBlock(g.part(),
        y.length == ownBytes ? y : java.util.Arrays.copyOf(y, ownBytes))));
    for (int q : g.destinations()) {
      int[] locals = g.sendList(q);
      byte[] rows = new byte[Math.multiplyExact(locals.length, rowBytes)];
      for (int i = 0; i < locals.length; i++) {
        System.arraycopy(y, locals[i] * rowBytes, rows, i * rowBytes, rowBytes);
      }
      out.add(new Tuple2<>(q, new RowBlock(g.part(), rows)));
    }
    return out.iterator();
  }

  /** Every node's input rows of layer {@code layer}, in local order, from the blocks received. */
  private static byte[] gather(int layer, PartGraph g, Iterable<RowBlock> blocks, int rowBytes) {
    byte[] x = new byte[Math.multiplyExact(g.nodes(), rowBytes)];
    java.util.Set<Integer> from = new java.util.HashSet<>();
    int covered = 0;
    for (RowBlock b : blocks) {
      int start = g.haloStart(b.from());
      int count = g.haloCount(b.from());
      if (start < 0 || b.rows().length != count * rowBytes) {
        throw new IllegalStateException("part " + g.part() + " received " + b.rows().length
            + " bytes of layer-" + layer + " rows from part " + b.from() + ", which owns " + count
            + " of its nodes (" + rowBytes + " bytes a row)");
      }
      if (!from.add(b.from())) {
        throw new IllegalStateException("part " + g.part() + " received layer-" + layer
            + " rows from part " + b.from() + " twice");
      }
      System.arraycopy(b.rows(), 0, x, start * rowBytes, b.rows().length);
      covered += count;
    }
    if (covered != g.nodes()) {
      throw new IllegalStateException("part " + g.part() + " got layer-" + layer + " input for "
          + covered + " of its " + g.nodes() + " nodes");
    }
    return x;
  }

  /**
   * One pass over the part's nodes and halo; own nodes' output rows in local order.
   * The layer reads the own nodes' float features too when the input carries them.
   */
  private static byte[] pass(int layer, LayerInput in, PartEngine engine, int featureDim) {
    PartGraph g = in.graph();
    byte[] x = gather(layer, g, in.blocks(), engine.inputWidth(layer) * engine.valueBytes());
    float[] features = in.features() == null ? null : ownFeatures(in.features(), g, featureDim, g.nodes());
    byte[] y = engine.layer(layer, x, features, g);
    return java.util.Arrays.copyOf(y, g.owned() * engine.outputWidth(layer) * engine.valueBytes());
  }

  private static Iterator<Tuple2<Integer, RowBlock>> layerAndSend(int layer, LayerInput in,
      ModelRef ref, ScoringEngine kind, CollectionAccumulator<String> loads) {
    PartEngine engine = PartEngine.of(ref, kind, loads);
    byte[] y = pass(layer, in, engine, ref.featureDim());
    return send(in.graph(), y, engine.outputWidth(layer) * engine.valueBytes());
  }

  private static Iterator<Row> lastLayer(int layer, LayerInput in, ModelRef ref, ScoringEngine kind,
      CollectionAccumulator<String> loads) {
    PartEngine engine = PartEngine.of(ref, kind, loads);
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
