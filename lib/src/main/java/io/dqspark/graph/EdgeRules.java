package io.dqspark.graph;

import io.dqspark.util.DqInputException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The documented cleaning rule for raw edges, applied the same way by every loader and by the
 * Spark ingest job:
 * <ol>
 *   <li>every endpoint must be a known vertex of the edge's graph; otherwise an error naming the
 *       edge, unless {@code dropUnknown} is set, which drops and counts such edges;</li>
 *   <li>self-loops are dropped and counted (GCN/GIN add their own self term, and Degree-Quant
 *       counts in-degree before self-loops), unless {@code keepSelfLoops};</li>
 *   <li>repeated {@code (graph_id, src, dst)} rows are dropped and counted, unless
 *       {@code keepDuplicates};</li>
 *   <li>the result is sorted by {@code (graph_id, src, dst)}.</li>
 * </ol>
 */
public final class EdgeRules {
  /** The switches of the rule; the defaults drop self-loops and duplicates and reject unknowns. */
  public record Options(boolean keepSelfLoops, boolean keepDuplicates, boolean dropUnknown) {
    public static final Options DEFAULT = new Options(false, false, false);
  }

  /** Cleaned edges and what was removed. */
  public record Result(EdgeTable edges, CleaningCounts counts) {}

  private EdgeRules() {}

  /**
   * Cleans {@code raw} against the vertex table.
   *
   * @param source names the input in error messages (a file or dataset name)
   */
  public static Result clean(EdgeTable raw, VertexTable vertices, Options options, String source) {
    Map<Long, Long> graphOf = new HashMap<>(vertices.size() * 2);
    for (int i = 0; i < vertices.size(); i++) {
      Long previous = graphOf.put(vertices.id(i), vertices.graphId(i));
      if (previous != null) {
        throw new DqInputException(source + ": vertex id " + vertices.id(i) + " appears twice");
      }
    }
    int m = raw.size();
    Integer[] order = new Integer[m];
    int kept = 0;
    long selfLoops = 0;
    long unknown = 0;
    for (int e = 0; e < m; e++) {
      long g = raw.graphId(e);
      long s = raw.src(e);
      long d = raw.dst(e);
      Long gs = graphOf.get(s);
      Long gd = graphOf.get(d);
      if (gs == null || gd == null || gs != g || gd != g) {
        if (options.dropUnknown()) {
          unknown++;
          continue;
        }
        String who = gs == null ? "src " + s : gd == null ? "dst " + d
            : "endpoints in graphs " + gs + "/" + gd;
        throw new DqInputException(source + ": edge " + e + " (" + s + " -> " + d + ", graph " + g
            + ") names an unknown vertex: " + who
            + (gs == null || gd == null ? " is not in the vertices table" : " differ from the edge's graph")
            + " (use the drop-unknown option to drop such edges)");
      }
      if (s == d && !options.keepSelfLoops()) {
        selfLoops++;
        continue;
      }
      order[kept++] = e;
    }
    Integer[] live = Arrays.copyOf(order, kept);
    Arrays.sort(live, (a, b) -> {
      int c = Long.compare(raw.graphId(a), raw.graphId(b));
      if (c != 0) return c;
      c = Long.compare(raw.src(a), raw.src(b));
      return c != 0 ? c : Long.compare(raw.dst(a), raw.dst(b));
    });
    long[] g = new long[kept];
    long[] s = new long[kept];
    long[] d = new long[kept];
    int n = 0;
    long duplicates = 0;
    for (Integer e : live) {
      boolean repeat = n > 0 && g[n - 1] == raw.graphId(e) && s[n - 1] == raw.src(e) && d[n - 1] == raw.dst(e);
      if (repeat && !options.keepDuplicates()) {
        duplicates++;
        continue;
      }
      g[n] = raw.graphId(e);
      s[n] = raw.src(e);
      d[n] = raw.dst(e);
      n++;
    }
    EdgeTable cleaned = new EdgeTable(Arrays.copyOf(g, n), Arrays.copyOf(s, n), Arrays.copyOf(d, n));
    return new Result(cleaned, new CleaningCounts(m, selfLoops, duplicates, unknown));
  }
}
