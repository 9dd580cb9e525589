/** The whole pipeline in one command: each stage's job run in turn on one Spark session. */
package io.dqspark.jobs.pipeline;
