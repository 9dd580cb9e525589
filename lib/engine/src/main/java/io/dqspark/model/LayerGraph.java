package io.dqspark.model;

/**
 * The edges a {@link LayerwiseScorer} pass runs over, in the form each engine reads, so that a
 * caller holding a scorer of any architecture can pass one graph: GCN and GAT read a {@link
 * GcnGraph} (GCN also its normalisation, hence degrees that may be whole-graph ones), GIN a {@link
 * GinGraph}. An implementation builds each form on first use.
 */
public interface LayerGraph {
  GcnGraph gcnGraph();

  GinGraph ginGraph();
}
