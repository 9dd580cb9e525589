/** The stats stage: in-degree and Degree-Quant protection probability of every node. */
package io.dqspark.jobs.stats;
