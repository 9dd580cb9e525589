/**
 * Scoring with integer models on Spark (issue 5): {@link io.dqspark.jobs.score.DqFunctions} (SQL
 * functions, one graph per row: GCN or GIN node classifiers, GIN graph classifiers), {@link
 * io.dqspark.jobs.score.PartitionedNodeScorer} (one big graph, layer by layer over its parts, int8
 * codes exchanged between layers, or float rows with the model's FP32 network for comparison) and
 * {@link io.dqspark.jobs.score.ScoreJob} ({@code bin/dq score}, timed by Spark's own stage metrics
 * through {@link io.dqspark.jobs.score.ScoringStages}).
 * Every executor JVM loads a model once, through {@link io.dqspark.jobs.score.ModelCache}, keyed by
 * {@link io.dqspark.jobs.score.ModelRef} (path, version, model file length and time).
 */
package io.dqspark.jobs.score;
