/**
 * Training protocol pieces that need no Spark: cross-validation folds for graph-level datasets
 * ({@link io.dqspark.train.CrossValidationFolds}).
 */
package io.dqspark.train;
