package io.dqspark.jobs.ml;

import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;

/**
 * The params that the estimator and the model share: where the features and edges are, where the
 * scores go, and how many parts scoring hashes the graph into. Each instance holds one of these
 * (a param belongs to its owner) and exposes it through {@link HasScoringParams}.
 */
public final class ScoringParams {
  final Param<String> featuresCol;
  final Param<String> predictionCol;
  final Param<String> probabilityCol;
  final Param<String> edgesTable;
  final IntParam scoringParts;

  ScoringParams(Params owner) {
    featuresCol = new Param<>(owner, "featuresCol",
        "vertex features: array<float>, array<double> or an ml Vector, all of the model's width");
    predictionCol = new Param<>(owner, "predictionCol", "output: the predicted class, as a double");
    probabilityCol = new Param<>(owner, "probabilityCol", "output: class probabilities (softmax of the integer"
        + " model's logits), an ml Vector");
    edgesTable = new Param<>(owner, "edgesTable", "name of a temp view or table with the edges (graph_id, src,"
        + " dst; graph_id optional): fit and transform take one Dataset, so the edges are named, not passed");
    scoringParts = new IntParam(owner, "scoringParts", "parts the graph is hashed into for layer-by-layer"
        + " scoring (0: the vertices' 'part' column if any, else Spark's default parallelism, at least 2)",
        ParamValidators.gtEq(0));
    owner.setDefault(featuresCol, "features");
    owner.setDefault(predictionCol, "prediction");
    owner.setDefault(probabilityCol, "probability");
    owner.setDefault(scoringParts, 0);
  }
}
