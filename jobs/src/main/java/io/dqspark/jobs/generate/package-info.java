/** Synthetic graphs for scale tests: R-MAT (Graph500 parameters) generated on the executors. */
package io.dqspark.jobs.generate;
