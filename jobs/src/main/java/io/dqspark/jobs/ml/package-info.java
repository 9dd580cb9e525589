/**
 * The Spark ML API: {@link io.dqspark.jobs.ml.DegreeQuantClassifier}, an {@code Estimator} whose
 * {@code fit} runs the train job's distributed Degree-Quant training on a vertices DataFrame (the
 * edges are a named table: Spark ML's {@code fit} takes one Dataset), and
 * {@link io.dqspark.jobs.ml.QuantizedGnnModel}, the integer-engine {@code Transformer} it returns,
 * saved and loaded as a model directory and usable in a {@code Pipeline}.
 */
package io.dqspark.jobs.ml;
