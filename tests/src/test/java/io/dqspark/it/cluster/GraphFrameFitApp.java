package io.dqspark.it.cluster;

import static org.apache.spark.sql.functions.col;

import io.dqspark.jobs.ml.DegreeQuantClassifier;
import io.dqspark.jobs.ml.QuantizedGnnModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.graphframes.GraphFrame;

/**
 * A user's application, as spark-submit runs it with the cluster jar on {@code spark.jars}: a
 * GraphFrame from ingested tables, fitted and scored through the Spark ML API. It prints one line
 * for the test to read: {@code scored N vertices; integer test accuracy A}.
 *
 * <p>Arguments: the tables folder ({@code vertices/}, {@code edges/}) and a work folder.
 */
public final class GraphFrameFitApp {
  private GraphFrameFitApp() {}

  public static void main(String[] args) {
    SparkSession spark = SparkSession.builder().appName("graphframes-fit").getOrCreate();
    GraphFrame graph = GraphFrame.apply(spark.read().parquet(args[0] + "/vertices"),
        spark.read().parquet(args[0] + "/edges"));
    DegreeQuantClassifier classifier = new DegreeQuantClassifier().setEpochs(20).setWorkers(2)
        .setPartitionRounds(5).setRowNormalize(true).setWorkDir(args[1]);
    QuantizedGnnModel model = classifier.fit(graph);
    Dataset<Row> scored = model.transform(graph).cache();
    Dataset<Row> test = scored.filter(col("split").equalTo("test"));
    double accuracy = (double) test.filter(col("prediction").equalTo(col("label"))).count() / test.count();
    System.out.println("model " + model.modelDir());
    System.out.println("scored " + scored.count() + " vertices; integer test accuracy " + accuracy);
    spark.stop();
  }
}
