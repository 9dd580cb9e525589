/**
 * Degree statistics and Degree-Quant protection probabilities computed in one JVM. The Spark
 * stats job computes the same numbers with DataFrame aggregations; tests prove they agree.
 */
package io.dqspark.stats;
