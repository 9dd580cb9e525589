package io.dqspark.stats;

import io.dqspark.graph.EdgeTable;
import io.dqspark.graph.GraphDataset;
import io.dqspark.graph.VertexTable;
import io.dqspark.util.DqInputException;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * In-degree and protection probability of every node of a dataset, in one JVM.
 *
 * <p>In-degree counts edges by {@code dst} as the edges table holds them (after cleaning, before
 * any self-loops a layer adds). The CDF is taken per graph ({@code perGraph}) or over all nodes.
 */
public final class DegreeStats {
  private final int[] inDegree;
  private final double[] maskProb;
  private final DegreeSummary summary;

  private DegreeStats(int[] inDegree, double[] maskProb, DegreeSummary summary) {
    this.inDegree = inDegree;
    this.maskProb = maskProb;
    this.summary = summary;
  }

  /** In-degree per vertex row, and p per vertex row. */
  public static DegreeStats compute(GraphDataset data, ProtectionRule rule, boolean perGraph) {
    VertexTable v = data.vertices();
    EdgeTable e = data.edges();
    int n = v.size();
    if (n == 0) {
      throw new DqInputException(data.name() + ": the vertices table is empty");
    }
    int[] indeg = new int[n];
    for (int k = 0; k < e.size(); k++) {
      int r = v.rowOf(e.dst(k));
      if (r < 0) {
        throw new DqInputException(data.name() + ": edge " + k + " ends at unknown vertex " + e.dst(k));
      }
      indeg[r]++;
    }
    // Per scope (a graph, or everything): count of nodes per degree, then the cumulative count.
    Map<Long, TreeMap<Integer, Long>> perScope = new HashMap<>();
    for (int i = 0; i < n; i++) {
      long scope = perGraph ? v.graphId(i) : 0L;
      perScope.computeIfAbsent(scope, s -> new TreeMap<>()).merge(indeg[i], 1L, Long::sum);
    }
    Map<Long, Map<Integer, Double>> pOf = new HashMap<>();
    for (Map.Entry<Long, TreeMap<Integer, Long>> scope : perScope.entrySet()) {
      long nodes = scope.getValue().values().stream().mapToLong(Long::longValue).sum();
      long cumulative = 0;
      Map<Integer, Double> p = new HashMap<>();
      for (Map.Entry<Integer, Long> d : scope.getValue().entrySet()) {
        cumulative += d.getValue();
        p.put(d.getKey(), rule.probability(cumulative, nodes));
      }
      pOf.put(scope.getKey(), p);
    }
    double[] prob = new double[n];
    TreeMap<Integer, Long> degreeCounts = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      long scope = perGraph ? v.graphId(i) : 0L;
      prob[i] = pOf.get(scope).get(indeg[i]);
      degreeCounts.merge(indeg[i], 1L, Long::sum);
    }
    double pMin = Double.POSITIVE_INFINITY;
    double pMax = Double.NEGATIVE_INFINITY;
    for (double p : prob) {
      pMin = Math.min(pMin, p);
      pMax = Math.max(pMax, p);
    }
    long graphs = perScopeGraphCount(v);
    DegreeSummary summary = DegreeSummary.of(degreeCounts, e.size(), graphs, rule, perGraph,
        new DegreeSummary.Range(pMin, pMax, meanOf(prob)));
    return new DegreeStats(indeg, prob, summary);
  }

  private static long perScopeGraphCount(VertexTable v) {
    return java.util.Arrays.stream(v.graphIds()).distinct().count();
  }

  private static double meanOf(double[] values) {
    double sum = 0;
    for (double x : values) {
      sum += x;
    }
    return sum / values.length;
  }

  public int[] inDegree() { return inDegree; }
  public double[] maskProb() { return maskProb; }
  public DegreeSummary summary() { return summary; }
}
