package io.dqspark.graph;

/**
 * What ingestion removed from the raw edges, so that a user can see it was not silent.
 *
 * @param rawEdges edges read from the source (after symmetrising, where the format calls for it)
 * @param selfLoops edges with {@code src == dst} that were dropped
 * @param duplicates repeated {@code (graph_id, src, dst)} rows that were dropped (first kept)
 * @param unknownVertices edges naming a vertex the vertices table lacks, dropped on request
 */
public record CleaningCounts(long rawEdges, long selfLoops, long duplicates, long unknownVertices) {
  public static final CleaningCounts NONE = new CleaningCounts(0, 0, 0, 0);
}
