/**
 * Data-parallel Degree-Quant training on Spark executors with DL4J's parameter averaging
 * ({@link io.dqspark.jobs.train.RangeMergingTrainingMaster}), the {@code train} job that publishes
 * versioned model directories, and scheduled retraining with champion/challenger promotion.
 */
package io.dqspark.jobs.train;
