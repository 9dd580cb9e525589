/**
 * Scoring with integer models on Spark (issue 5): {@link io.dqspark.jobs.score.DqFunctions} (SQL
 * functions, one graph per row), {@link io.dqspark.jobs.score.PartitionedGcnScorer} (one big graph,
 * layer by layer over its parts) and {@link io.dqspark.jobs.score.ScoreJob} ({@code bin/dq score}).
 * Every executor JVM loads a model once, through {@link io.dqspark.jobs.score.ModelCache}.
 */
package io.dqspark.jobs.score;
