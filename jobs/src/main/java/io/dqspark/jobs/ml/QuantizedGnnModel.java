package io.dqspark.jobs.ml;

import static org.apache.spark.sql.functions.col;

import io.dqspark.jobs.common.AtomicOutput;
import io.dqspark.jobs.common.GraphSchemas;
import io.dqspark.jobs.score.ModelRef;
import io.dqspark.jobs.score.NodeScoring;
import io.dqspark.util.DqInputException;
import java.io.IOException;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.graphframes.GraphFrame;
import scala.Option;

/**
 * A fitted Degree-Quant node classifier as a Spark ML {@link Model}: {@link #transform} scores the
 * vertices of one big graph with the integer engine, layer by layer over parts (the same
 * {@link NodeScoring} path as {@code bin/dq score}), and adds {@code predictionCol} (the class as a
 * double, Spark ML's convention) and {@code probabilityCol} (an ml Vector). The edges come from the
 * GraphFrame ({@link #transform(GraphFrame)}) or, for Spark ML pipelines, from the table named by
 * {@code edgesTable}. Scoring runs when {@code transform} is called, not lazily:
 * the part-by-part passes are Spark jobs of their own, and their result is cached.
 *
 * <p>The model is a model directory (design §3: {@code model.json}, {@code model.dq8}); {@link
 * #save} copies it and adds Spark ML's {@code metadata/} (class, uid, Spark version and every
 * param as JSON), so {@code PipelineModel.load} finds this class and {@link #load} reads it back.
 */
public final class QuantizedGnnModel extends Model<QuantizedGnnModel> implements MLWritable, HasScoringParams {
  private final String uid;
  private final String modelDir;
  private final ScoringParams scoring;

  @Override
  public ScoringParams scoringParams() {
    return scoring;
  }

  /** @param modelDir a model directory with {@code model.json}, {@code model.dq8} and {@code _SUCCESS} */
  QuantizedGnnModel(String uid, String modelDir) {
    this.uid = uid;
    this.modelDir = modelDir;
    this.scoring = new ScoringParams(this);
  }

  @Override
  public String uid() {
    return uid;
  }

  /** The model directory this model scores with. */
  public String modelDir() {
    return modelDir;
  }

  /** The model directory as the scorer's tasks see it (checked: manifest, integer file, _SUCCESS). */
  public ModelRef modelRef(SparkSession spark) {
    return ModelRef.resolve(spark.sparkContext().hadoopConfiguration(), modelDir);
  }

  /** Scores the vertices; the edges come from the table or view named by {@code edgesTable}. */
  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    transformSchema(dataset.schema(), true);
    return score(dataset, GraphInput.edges(dataset.sparkSession(), getEdgesTable()));
  }

  /** The GraphFrame's vertices with the prediction and probability columns; {@code edgesTable} is not used. */
  public Dataset<Row> transform(GraphFrame graph) {
    transformSchema(graph.vertices().schema(), true);
    return score(graph.vertices(), GraphInput.edges(graph.edges(), "the GraphFrame's edges"));
  }

  /** The same graph with scored vertices: the GraphFrame a user hands on to GraphFrames' algorithms. */
  public GraphFrame transformGraph(GraphFrame graph) {
    return GraphFrame.apply(transform(graph), graph.edges());
  }

  private Dataset<Row> score(Dataset<?> dataset, Dataset<Row> canonicalEdges) {
    SparkSession spark = dataset.sparkSession();
    Dataset<Row> edges = canonicalEdges.select(col(GraphSchemas.SRC), col(GraphSchemas.DST));
    Dataset<Row> vertices = GraphInput.scoringVertices(dataset, getFeaturesCol());
    int parts = getScoringParts();
    Dataset<Row> scores = NodeScoring.score(spark, vertices, edges, modelRef(spark), parts == 0 ? null : parts, null);
    return dataset.toDF().join(scores.select(col(GraphSchemas.ID),
        col("prediction").cast("double").as(getPredictionCol()),
        org.apache.spark.ml.functions.array_to_vector(col("probabilities")).as(getProbabilityCol())),
        GraphSchemas.ID);
  }

  @Override
  public StructType transformSchema(StructType schema) {
    GraphInput.checkScoringColumns(schema, getFeaturesCol());
    return outputSchema(schema, getPredictionCol(), getProbabilityCol());
  }

  /** {@code schema} plus the prediction (double) and probability (Vector) columns, which must be new. */
  static StructType outputSchema(StructType schema, String predictionCol, String probabilityCol) {
    for (String c : new String[] {predictionCol, probabilityCol}) {
      if (Arrays.asList(schema.fieldNames()).contains(c)) {
        throw new DqInputException("output column '" + c + "' already exists in the vertices; set"
            + " predictionCol / probabilityCol to a new name");
      }
    }
    return schema.add(predictionCol, DataTypes.DoubleType, false)
        .add(probabilityCol, SQLDataTypes.VectorType(), false);
  }

  @Override
  public QuantizedGnnModel copy(ParamMap extra) {
    // not defaultCopy: that builds from the uid alone and would lose the model directory
    QuantizedGnnModel that = copyValues(new QuantizedGnnModel(uid, modelDir), extra);
    return that.setParent(parent());
  }

  @Override
  public MLWriter write() {
    return new Writer(this);
  }

  public static MLReader<QuantizedGnnModel> read() {
    return new Reader();
  }

  public static QuantizedGnnModel load(String path) {
    return read().load(path);
  }

  /** Writes the model directory's files and Spark ML's metadata aside, then renames into place. */
  private static final class Writer extends MLWriter {
    private final QuantizedGnnModel model;

    Writer(QuantizedGnnModel model) {
      this.model = model;
    }

    @Override
    public void saveImpl(String path) {
      Configuration conf = sc().hadoopConfiguration();
      model.modelRef(sparkSession()); // refuse an incomplete source before writing anything
      // MLWriter.save has already refused (or, with overwrite(), removed) an existing path
      try (AtomicOutput out = AtomicOutput.begin(conf, path, false)) {
        Path from = new Path(model.modelDir);
        FileSystem src = from.getFileSystem(conf);
        Path to = new Path(out.tempRoot());
        for (FileStatus f : src.listStatus(from)) {
          if (f.isFile() && !f.getPath().getName().equals(AtomicOutput.SUCCESS)) {
            FileUtil.copy(src, f.getPath(), to.getFileSystem(conf), new Path(to, f.getPath().getName()), false, conf);
          }
        }
        DefaultParamsWriter$.MODULE$.saveMetadata(model, out.tempRoot(), sc(), Option.empty(), Option.empty());
        out.commit();
      } catch (IOException e) {
        throw new DqInputException("cannot save the model to " + path + ": " + e.getMessage(), e);
      }
    }
  }

  /** Reads a saved model: the metadata's uid and params, the model directory checked as the scorer will. */
  private static final class Reader extends MLReader<QuantizedGnnModel> {
    @Override
    public QuantizedGnnModel load(String path) {
      var metadata = DefaultParamsReader$.MODULE$.loadMetadata(path, sc(), QuantizedGnnModel.class.getName());
      Configuration conf = sc().hadoopConfiguration();
      String dir = ModelRef.resolve(conf, path).dir();
      QuantizedGnnModel model = new QuantizedGnnModel(metadata.uid(), dir);
      metadata.getAndSetParams(model, Option.empty());
      return model;
    }
  }

  // ---- params shared with the estimator (copied from it by name when fit returns)

  public QuantizedGnnModel setFeaturesCol(String value) {
    set(scoring.featuresCol, value);
    return this;
  }

  public QuantizedGnnModel setPredictionCol(String value) {
    set(scoring.predictionCol, value);
    return this;
  }

  public QuantizedGnnModel setProbabilityCol(String value) {
    set(scoring.probabilityCol, value);
    return this;
  }

  public QuantizedGnnModel setEdgesTable(String value) {
    set(scoring.edgesTable, value);
    return this;
  }

  public QuantizedGnnModel setScoringParts(int value) {
    set(scoring.scoringParts, value);
    return this;
  }
}
