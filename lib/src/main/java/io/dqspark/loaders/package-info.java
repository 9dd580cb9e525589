/**
 * Readers for the formats users and papers have (Planetoid pickles, TU text, SNAP edge lists,
 * canonical tables), each from any Hadoop file system URI, each producing a
 * {@link io.dqspark.graph.GraphDataset} cleaned by {@link io.dqspark.graph.EdgeRules}.
 */
package io.dqspark.loaders;
