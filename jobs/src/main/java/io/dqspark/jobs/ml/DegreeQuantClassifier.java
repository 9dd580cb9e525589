package io.dqspark.jobs.ml;

import io.dqspark.jobs.train.TrainAndPublish;
import io.dqspark.jobs.train.TrainSettings;
import io.dqspark.stats.ProtectionRule;
import io.dqspark.train.Architecture;
import io.dqspark.train.TrainingOptions;
import io.dqspark.train.Variant;
import io.dqspark.util.DqInputException;
import java.util.List;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.graphframes.GraphFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Degree-Quant training of a node classifier as a Spark ML {@link Estimator}. {@link
 * #fit(GraphFrame)} takes a GraphFrame of one big graph (design §3: vertices with {@code id},
 * features, label, split as {@code train}/{@code val}/{@code test}/null; edges {@code src}, {@code
 * dst}); in a Spark ML pipeline, {@link #fit(Dataset)} takes the vertices and finds the edges in the
 * table or temp view named by {@code edgesTable}, because Spark ML's {@code fit} takes exactly one
 * Dataset. It writes both
 * as canonical tables into a work folder and runs the train job's own machinery on them (shards
 * prepared by ingest, stats and partition, {@link TrainingShards}; DL4J parameter averaging over {@code workers}; the
 * best-validation epoch kept; the integer model exported), then returns a
 * {@link QuantizedGnnModel} that scores with the integer engine.
 *
 * <p>GCN, GIN and GAT have partitioned integer scorers; fp32 has no integer model, so {@code fit}
 * refuses it with an error naming the param (it is a valid value because the train job accepts it).
 */
public final class DegreeQuantClassifier extends Estimator<QuantizedGnnModel>
    implements DefaultParamsWritable, HasScoringParams {
  private static final Logger LOG = LoggerFactory.getLogger(DegreeQuantClassifier.class);

  private final String uid;
  private final ScoringParams scoring;

  @Override
  public ScoringParams scoringParams() {
    return scoring;
  }
  private final Param<String> architecture;
  private final Param<String> precision;
  private final Param<String> method;
  private final DoubleParam pLow;
  private final DoubleParam pHigh;
  private final IntParam epochs;
  private final IntParam workers;
  private final IntParam averagingFrequency;
  private final IntParam hidden;
  private final DoubleParam learningRate;
  private final LongParam seed;
  private final BooleanParam rowNormalize;
  private final Param<String> labelCol;
  private final Param<String> splitCol;
  private final Param<String> workDir;
  private final IntParam partitionRounds;

  public DegreeQuantClassifier() {
    this(Identifiable$.MODULE$.randomUID("degreeQuant"));
  }

  public DegreeQuantClassifier(String uid) {
    this.uid = uid;
    scoring = new ScoringParams(this);
    architecture = new Param<>(this, "architecture", "gcn, gat or gin",
        ParamValidators.inArray(List.of("gcn", "gat", "gin")));
    precision = new Param<>(this, "precision", "fp32, int8 or int4 (fit exports int8 and int4)",
        ParamValidators.inArray(List.of("fp32", "int8", "int4")));
    method = new Param<>(this, "method", "qat (moving-average ranges) or dq (Degree-Quant)",
        ParamValidators.inArray(List.of("qat", "dq")));
    pLow = new DoubleParam(this, "pLow", "Degree-Quant protection probability floor (unset: 0 for int8,"
        + " 0.1 for int4)", ParamValidators.inRange(0, 1));
    pHigh = new DoubleParam(this, "pHigh", "Degree-Quant protection probability ceiling (unset: 0.1 for"
        + " int8, 0.2 for int4)", ParamValidators.inRange(0, 1));
    epochs = new IntParam(this, "epochs", "training epochs (full-batch steps per part; unset: the architecture's published setting)", ParamValidators.gtEq(1));
    workers = new IntParam(this, "workers", "Spark partitions trained at once, one per graph part",
        ParamValidators.gtEq(1));
    averagingFrequency = new IntParam(this, "averagingFrequency", "worker steps between two parameter"
        + " averaging rounds: fewer rounds cost less communication, more drift between workers",
        ParamValidators.gtEq(1));
    hidden = new IntParam(this, "hidden", "hidden width (unset: the architecture's published setting, 16 for gcn and gin, 8 per head for gat)", ParamValidators.gtEq(1));
    learningRate = new DoubleParam(this, "learningRate", "Adam learning rate (unset: the architecture's published setting, 0.01 for gcn, 0.005 for gat and gin)", ParamValidators.gt(0));
    seed = new LongParam(this, "seed", "seed of initialisation, masks and dropout (0 .. 2^31-1)",
        ParamValidators.inRange(0, Integer.MAX_VALUE));
    rowNormalize = new BooleanParam(this, "rowNormalize", "divide each feature row by its sum before"
        + " training and scoring (Planetoid's usual preprocessing; the model remembers it)");
    labelCol = new Param<>(this, "labelCol", "class label: a whole number >= 0, or null when unknown");
    splitCol = new Param<>(this, "splitCol", "train, val, test or null: workers learn from train,"
        + " the best epoch is chosen on val");
    workDir = new Param<>(this, "workDir", "Hadoop folder for fit's tables, shards and the fitted model,"
        + " readable by every executor (empty: a local temporary folder, enough in local mode)");
    partitionRounds = new IntParam(this, "partitionRounds", "label propagation rounds when the graph is"
        + " partitioned into one part per worker: fewer rounds are faster but cut more edges (larger halos)",
        ParamValidators.gtEq(1));
    setDefault(architecture, "gcn");
    setDefault(precision, "int8");
    setDefault(method, "dq");
    setDefault(workers, 2);
    setDefault(averagingFrequency, 1);
    setDefault(seed, 1L);
    setDefault(rowNormalize, false);
    setDefault(labelCol, "label");
    setDefault(splitCol, "split");
    setDefault(workDir, "");
    setDefault(partitionRounds, 30);
  }

  @Override
  public String uid() {
    return uid;
  }

  /** Trains on the vertices and finds the edges in the table or view named by {@code edgesTable}. */
  @Override
  public QuantizedGnnModel fit(Dataset<?> dataset) {
    transformSchema(dataset.schema(), true);
    return fit(dataset, GraphInput.edges(dataset.sparkSession(), getEdgesTable()));
  }

  /**
   * Trains on a GraphFrame: its vertices (columns {@code id}, features, label, split) and its edges
   * ({@code src}, {@code dst}); {@code edgesTable} is not used.
   */
  public QuantizedGnnModel fit(GraphFrame graph) {
    transformSchema(graph.vertices().schema(), true);
    return fit(graph.vertices(), GraphInput.edges(graph.edges(), "the GraphFrame's edges"));
  }

  private QuantizedGnnModel fit(Dataset<?> dataset, Dataset<Row> edges) {
    requireExportable();
    SparkSession spark = dataset.sparkSession();
    FitFolder folder = FitFolder.create(spark.sparkContext().hadoopConfiguration(), getWorkDir());
    GraphInput.trainingVertices(dataset, getFeaturesCol(), getLabelCol(), getSplitCol())
        .write().mode(SaveMode.ErrorIfExists).parquet(folder.input() + "/vertices");
    edges.write().mode(SaveMode.ErrorIfExists).parquet(folder.input() + "/edges");
    TrainSettings settings = settings(folder.input());
    settings.set("shards", TrainingShards.prepare(folder.input(), folder.shards(), getWorkers(), protection(),
        getPartitionRounds(), getSeed()), "param of " + uid);
    LOG.info("{}: fitting with {}", uid, settings.asMap());
    TrainAndPublish.Published p = TrainAndPublish.run(spark, settings, folder.models(), m -> LOG.info("{}: {}", uid, m));
    folder.removeIntermediates();
    LOG.info("{}: fitted {} (validation accuracy {}, test accuracy {}, best epoch {}, {} s)", uid, p.dir(),
        p.validationAccuracy(), p.testAccuracy(), p.bestEpoch(), String.format("%.1f", p.wallSeconds()));
    QuantizedGnnModel model = new QuantizedGnnModel(uid, p.dir().toString());
    copyValues(model, extractParamMap());
    return model.setParent(this);
  }

  /** The train job's settings for these params; unset protection bounds keep the precision's defaults. */
  TrainSettings settings(String input) {
    String source = "param of " + uid;
    TrainSettings s = new TrainSettings();
    s.set("name", uid, source);
    s.set("input", input, source);
    s.set("parts", String.valueOf(getWorkers()), source);
    s.set("arch", getArchitecture(), source);
    s.set("precision", getPrecision(), source);
    s.set("method", getMethod(), source);
    // unset: the train job applies the architecture's published settings, as the getters report
    if (isSet(epochs)) {
      s.set("epochs", String.valueOf(getEpochs()), source);
    }
    s.set("workers", String.valueOf(getWorkers()), source);
    s.set("averaging_frequency", String.valueOf(getAveragingFrequency()), source);
    if (isSet(hidden)) {
      s.set("hidden", String.valueOf(getHidden()), source);
    }
    if (isSet(learningRate)) {
      s.set("learning_rate", String.valueOf(getLearningRate()), source);
    }
    s.set("seed", String.valueOf(getSeed()), source);
    s.set("row_normalize", String.valueOf(getRowNormalize()), source);
    ProtectionRule p = protection();
    s.set("p_low", String.valueOf(p.pLow()), source);
    s.set("p_high", String.valueOf(p.pHigh()), source);
    return s;
  }

  private void requireExportable() {
    if ("fp32".equals(getPrecision())) {
      throw new DqInputException("precision = fp32 has no integer model to export; use int8 or int4");
    }
  }

  /** The effective protection range: set bounds, else the precision's defaults; low must not exceed high. */
  private ProtectionRule protection() {
    TrainingOptions o = TrainingOptions.defaults(Architecture.GCN, false);
    o.variant = Variant.of(getPrecision(), getMethod());
    ProtectionRule d = o.protectionRule();
    double low = isSet(pLow) ? getPLow() : d.pLow();
    double high = isSet(pHigh) ? getPHigh() : d.pHigh();
    if (low > high) {
      throw new DqInputException("pLow (" + low + ") must not exceed pHigh (" + high + ")"
          + (isSet(pLow) && isSet(pHigh) ? "" : "; an unset bound is the " + getPrecision() + " default"));
    }
    return new ProtectionRule(low, high);
  }

  @Override
  public StructType transformSchema(StructType schema) {
    GraphInput.checkTrainingColumns(schema, getFeaturesCol(), getLabelCol(), getSplitCol());
    protection();
    return QuantizedGnnModel.outputSchema(schema, getPredictionCol(), getProbabilityCol());
  }

  @Override
  public DegreeQuantClassifier copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  public static MLReader<DegreeQuantClassifier> read() {
    return new DefaultParamsReader<>();
  }

  public static DegreeQuantClassifier load(String path) {
    return read().load(path);
  }

  // ---- params: accessors, getters and setters (Spark ML finds params through these accessors)

  public Param<String> architecture() {
    return architecture;
  }

  public Param<String> precision() {
    return precision;
  }

  public Param<String> method() {
    return method;
  }

  public DoubleParam pLow() {
    return pLow;
  }

  public DoubleParam pHigh() {
    return pHigh;
  }

  public IntParam epochs() {
    return epochs;
  }

  public IntParam workers() {
    return workers;
  }

  public IntParam averagingFrequency() {
    return averagingFrequency;
  }

  public IntParam hidden() {
    return hidden;
  }

  public DoubleParam learningRate() {
    return learningRate;
  }

  public LongParam seed() {
    return seed;
  }

  public BooleanParam rowNormalize() {
    return rowNormalize;
  }

  public Param<String> labelCol() {
    return labelCol;
  }

  public Param<String> splitCol() {
    return splitCol;
  }

  public Param<String> workDir() {
    return workDir;
  }

  public String getArchitecture() {
    return $(architecture);
  }

  public DegreeQuantClassifier setArchitecture(String value) {
    set(architecture, value);
    return this;
  }

  public String getPrecision() {
    return $(precision);
  }

  public DegreeQuantClassifier setPrecision(String value) {
    set(precision, value);
    return this;
  }

  public String getMethod() {
    return $(method);
  }

  public DegreeQuantClassifier setMethod(String value) {
    set(method, value);
    return this;
  }

  /** The set floor, else the precision's default. */
  public double getPLow() {
    return isSet(pLow) ? (Double) $(pLow) : protection().pLow();
  }

  public DegreeQuantClassifier setPLow(double value) {
    set(pLow, value);
    return this;
  }

  /** The set ceiling, else the precision's default. */
  public double getPHigh() {
    return isSet(pHigh) ? (Double) $(pHigh) : protection().pHigh();
  }

  public DegreeQuantClassifier setPHigh(double value) {
    set(pHigh, value);
    return this;
  }

  /** The set value, else the architecture's published one ({@link TrainingOptions#defaults}). */
  public int getEpochs() {
    return isSet(epochs) ? (Integer) $(epochs) : publishedSettings().epochs;
  }

  public DegreeQuantClassifier setEpochs(int value) {
    set(epochs, value);
    return this;
  }

  public int getWorkers() {
    return (Integer) $(workers);
  }

  public DegreeQuantClassifier setWorkers(int value) {
    set(workers, value);
    return this;
  }

  public int getAveragingFrequency() {
    return (Integer) $(averagingFrequency);
  }

  public DegreeQuantClassifier setAveragingFrequency(int value) {
    set(averagingFrequency, value);
    return this;
  }

  /** The set value, else the architecture's published one ({@link TrainingOptions#defaults}). */
  public int getHidden() {
    return isSet(hidden) ? (Integer) $(hidden) : publishedSettings().hidden;
  }

  /** What the train job uses for the settings left unset: the architecture's, for one big graph. */
  private TrainingOptions publishedSettings() {
    return TrainingOptions.defaults(Architecture.parse(getArchitecture()), false);
  }

  public DegreeQuantClassifier setHidden(int value) {
    set(hidden, value);
    return this;
  }

  /** The set value, else the architecture's published one ({@link TrainingOptions#defaults}). */
  public double getLearningRate() {
    return isSet(learningRate) ? (Double) $(learningRate) : publishedSettings().learningRate;
  }

  public DegreeQuantClassifier setLearningRate(double value) {
    set(learningRate, value);
    return this;
  }

  public long getSeed() {
    return (Long) $(seed);
  }

  public DegreeQuantClassifier setSeed(long value) {
    set(seed, value);
    return this;
  }

  public boolean getRowNormalize() {
    return (Boolean) $(rowNormalize);
  }

  public DegreeQuantClassifier setRowNormalize(boolean value) {
    set(rowNormalize, value);
    return this;
  }

  public String getLabelCol() {
    return $(labelCol);
  }

  public DegreeQuantClassifier setLabelCol(String value) {
    set(labelCol, value);
    return this;
  }

  public String getSplitCol() {
    return $(splitCol);
  }

  public DegreeQuantClassifier setSplitCol(String value) {
    set(splitCol, value);
    return this;
  }

  public String getWorkDir() {
    return $(workDir);
  }

  public DegreeQuantClassifier setWorkDir(String value) {
    set(workDir, value);
    return this;
  }

  public IntParam partitionRounds() {
    return partitionRounds;
  }

  public int getPartitionRounds() {
    return (Integer) $(partitionRounds);
  }

  public DegreeQuantClassifier setPartitionRounds(int value) {
    set(partitionRounds, value);
    return this;
  }

  public DegreeQuantClassifier setFeaturesCol(String value) {
    set(scoring.featuresCol, value);
    return this;
  }

  public DegreeQuantClassifier setPredictionCol(String value) {
    set(scoring.predictionCol, value);
    return this;
  }

  public DegreeQuantClassifier setProbabilityCol(String value) {
    set(scoring.probabilityCol, value);
    return this;
  }

  public DegreeQuantClassifier setEdgesTable(String value) {
    set(scoring.edgesTable, value);
    return this;
  }

  public DegreeQuantClassifier setScoringParts(int value) {
    set(scoring.scoringParts, value);
    return this;
  }
}
