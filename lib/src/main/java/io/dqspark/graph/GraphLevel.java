package io.dqspark.graph;

/** Whether a dataset is one big graph (node-level tasks) or many small graphs (graph-level tasks). */
public enum GraphLevel {
  NODE,
  GRAPH;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
