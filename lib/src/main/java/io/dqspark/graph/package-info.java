/**
 * The canonical graph tables of design §3 held in memory: what every loader produces and what
 * the Spark jobs turn into DataFrames. Columnar primitive arrays keep million-node graphs cheap.
 */
package io.dqspark.graph;
