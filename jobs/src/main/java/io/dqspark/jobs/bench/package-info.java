/** Benchmarks printed as tables from one run (never timed unit tests). */
package io.dqspark.jobs.bench;
