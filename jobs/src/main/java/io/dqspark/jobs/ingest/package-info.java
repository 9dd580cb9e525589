/**
 * Reading every supported input into canonical DataFrames and applying the cleaning rule of
 * {@link io.dqspark.graph.EdgeRules} on the executors; writing canonical tables atomically.
 */
package io.dqspark.jobs.ingest;
