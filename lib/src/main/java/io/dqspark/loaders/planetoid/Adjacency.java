package io.dqspark.loaders.planetoid;

import io.dqspark.graph.EdgeTable;
import io.dqspark.util.DqInputException;
import java.util.List;
import java.util.Map;

/**
 * The {@code graph} file, a dict {@code node -> [neighbours]}, as a raw edge list holding every
 * listed link in both directions. Repeats and self-loops stay in: {@link io.dqspark.graph.EdgeRules}
 * removes and counts them, like for every other format.
 */
public final class Adjacency {
  private Adjacency() {}

  /**
   * Symmetrises the adjacency dict.
   *
   * @param numNodes node ids must lie in {@code 0..numNodes-1}
   * @param keepOutOfRange pass out-of-range links on (for EdgeRules to drop and count) instead of failing
   * @param file names the graph file in errors
   */
  public static EdgeTable symmetrised(Object graph, int numNodes, boolean keepOutOfRange, String file) {
    if (!(graph instanceof Map<?, ?> dict)) {
      throw new DqInputException(file + ": expected a dict of adjacency lists, got " + Pickled.describe(graph));
    }
    long total = 0;
    for (Object neighbours : dict.values()) {
      total += length(neighbours, file);
    }
    if (2 * total > Integer.MAX_VALUE - 8) {
      throw new DqInputException(file + ": " + total + " links are too many for one edge table");
    }
    long[] src = new long[(int) (2 * total)];
    long[] dst = new long[src.length];
    int m = 0;
    for (Map.Entry<?, ?> e : dict.entrySet()) {
      long node = id(e.getKey(), file, "a key");
      Object neighbours = e.getValue();
      int k = length(neighbours, file);
      for (int i = 0; i < k; i++) {
        Object item = neighbours instanceof List<?> l ? l.get(i) : ((Object[]) neighbours)[i];
        long other = id(item, file, "a neighbour of node " + node);
        if (!keepOutOfRange && (node < 0 || node >= numNodes || other < 0 || other >= numNodes)) {
          throw new DqInputException(file + ": node " + node + " lists neighbour " + other
              + ", but node ids must lie in 0.." + (numNodes - 1) + " (N = " + numNodes + ")");
        }
        src[m] = node;
        dst[m++] = other;
        src[m] = other;
        dst[m++] = node;
      }
    }
    return new EdgeTable(new long[m], src, dst);
  }

  private static int length(Object neighbours, String file) {
    if (neighbours instanceof List<?> l) {
      return l.size();
    }
    if (neighbours instanceof Object[] t) {
      return t.length;
    }
    throw new DqInputException(file + ": expected a list of neighbours, got " + Pickled.describe(neighbours));
  }

  private static long id(Object o, String file, String what) {
    try {
      return Pickled.integral(o, what);
    } catch (net.razorvine.pickle.PickleException e) {
      throw new DqInputException(file + ": " + e.getMessage(), e);
    }
  }
}
