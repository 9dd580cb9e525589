package io.dqspark.loaders.planetoid;

import io.dqspark.util.DqInputException;

/**
 * PyG's node order for a Planetoid dataset: nodes {@code 0..|allx|-1} take the allx/ally rows in
 * order, and test node {@code test_index[i]} takes tx/ty row {@code i} (PyG writes this as
 * {@code x[test_index] = x[sorted_test_index]} after stacking). Indices between {@code |allx|}
 * and {@code max(test_index)} that the test index skips are <em>gaps</em>: isolated nodes with no
 * row at all (Citeseer has 15), so {@code N = max(test_index) + 1}.
 *
 * <p>PyG only handles gaps for Citeseer and only when the test range starts right after allx;
 * here any dataset may have them, anywhere after allx.
 */
public final class NodeOrder {
  /** {@link #row} of a gap node. */
  public static final int GAP = -1;

  private final int[] rowOf;
  private final int allxRows;

  private NodeOrder(int[] rowOf, int allxRows) {
    this.rowOf = rowOf;
    this.allxRows = allxRows;
  }

  /**
   * Lays out the nodes.
   *
   * @param allxRows rows of allx (and ally)
   * @param test the test index, one entry per tx row
   * @param testFile names the test index file in errors
   */
  public static NodeOrder of(int allxRows, TestIndex test, String testFile) {
    int t = test.size();
    long n = allxRows + (long) t;
    for (int i = 0; i < t; i++) {
      int node = test.nodes()[i];
      if (node < allxRows) {
        throw DqInputException.atLine(testFile, test.lines()[i], "test node " + node
            + " is below the " + allxRows + " allx rows, so it would replace a node that has allx features");
      }
      n = Math.max(n, node + 1L);
    }
    long gaps = n - allxRows - t;
    if (gaps > allxRows + (long) t) {
      throw new DqInputException(testFile + ": the largest test node " + (n - 1) + " would create "
          + gaps + " isolated gap nodes, more than the " + (allxRows + t) + " nodes with features");
    }
    int[] rowOf = new int[(int) n];
    for (int v = 0; v < allxRows; v++) {
      rowOf[v] = v;
    }
    java.util.Arrays.fill(rowOf, allxRows, (int) n, GAP);
    for (int i = 0; i < t; i++) {
      int node = test.nodes()[i];
      if (rowOf[node] != GAP) {
        int first = test.lines()[rowOf[node] - allxRows];
        throw DqInputException.atLine(testFile, test.lines()[i],
            "test node " + node + " is listed again (first at line " + first + ")");
      }
      rowOf[node] = allxRows + i;
    }
    return new NodeOrder(rowOf, allxRows);
  }

  public int numNodes() {
    return rowOf.length;
  }

  /** The node's row in {@code vstack(allx, tx)} (and {@code vstack(ally, ty)}), or {@link #GAP}. */
  public int row(int node) {
    return rowOf[node];
  }

  /** Whether the node's row comes from tx/ty (a test node) rather than allx/ally. */
  public boolean isTest(int node) {
    return rowOf[node] >= allxRows;
  }
}
