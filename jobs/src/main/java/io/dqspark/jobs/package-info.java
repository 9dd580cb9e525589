/**
 * Spark jobs, one folder per pipeline stage. Each job is a picocli command with its own
 * {@code main} for spark-submit; {@link io.dqspark.jobs.DqCli} gathers them for {@code bin/dq}.
 */
package io.dqspark.jobs;
