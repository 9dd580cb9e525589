package io.dqspark.graph;

import java.util.Objects;

/**
 * One dataset in canonical form, as a loader returns it.
 *
 * @param name short name used for output folders and model provenance
 * @param level node-level (one big graph) or graph-level (many graphs)
 * @param numClasses number of label classes (0 when unlabelled)
 * @param vertices the vertices table
 * @param edges the edges table, already cleaned by {@link EdgeRules}
 * @param graphs the graphs table; null for node-level datasets
 * @param cleaning what cleaning removed
 */
public record GraphDataset(
    String name,
    GraphLevel level,
    int numClasses,
    VertexTable vertices,
    EdgeTable edges,
    GraphTable graphs,
    CleaningCounts cleaning) {

  public GraphDataset {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(vertices, "vertices");
    Objects.requireNonNull(edges, "edges");
    Objects.requireNonNull(cleaning, "cleaning");
    if (level == GraphLevel.GRAPH && graphs == null) {
      throw new IllegalArgumentException("graph-level dataset '" + name + "' needs a graphs table");
    }
  }

  public int featureDim() {
    return vertices.featureDim();
  }
}
