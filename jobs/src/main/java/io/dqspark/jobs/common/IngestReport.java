package io.dqspark.jobs.common;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What ingestion read and what its cleaning rule dropped ({@link io.dqspark.graph.EdgeRules}).
 * Duplicates are known only once the de-duplicated edges have been written and counted.
 */
public record IngestReport(
    String source,
    String format,
    long vertices,
    long rawEdges,
    long selfLoops,
    long unknownVertices,
    long duplicates,
    long edges) {

  public static final long UNKNOWN = -1;

  /** Fills in the written edge count and the duplicates it implies. */
  public IngestReport withWrittenEdges(long written, boolean duplicatesDropped) {
    long dups = duplicatesDropped ? rawEdges - selfLoops - unknownVertices - written : 0;
    return new IngestReport(source, format, vertices, rawEdges, selfLoops, unknownVertices, dups, written);
  }

  /**
   * The report to publish once the tables are written: the cleaning counts with the written edge
   * count, or, for tables that were already clean, just the written counts.
   */
  public static IngestReport afterWrite(IngestReport cleaning, GraphWriter.WrittenCounts written) {
    if (cleaning == null) {
      return new IngestReport("(already clean tables)", "canonical", written.vertices(), written.edges(), 0, 0, 0,
          written.edges());
    }
    return cleaning.edges() == UNKNOWN ? cleaning.withWrittenEdges(written.edges(), true) : cleaning;
  }

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("source", source);
    m.put("format", format);
    m.put("vertices", vertices);
    m.put("raw_edges", rawEdges);
    m.put("self_loops_dropped", selfLoops);
    m.put("unknown_vertex_edges_dropped", unknownVertices);
    m.put("duplicates_dropped", duplicates);
    m.put("edges", edges);
    return m;
  }
}
