package io.dqspark.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class VertexTableRowOfTest {
  private static VertexTable table(long... ids) {
    int n = ids.length;
    return new VertexTable(new long[n], ids, new float[n][0], new int[n], new Split[n]);
  }

  @Test
  void idsEqualToRowsAndArbitraryIdsBothResolve() {
    VertexTable dense = table(0, 1, 2);
    assertEquals(2, dense.rowOf(2));
    assertEquals(-1, dense.rowOf(3));
    assertEquals(-1, dense.rowOf(-1));

    VertexTable sparse = table(10, 7, 42);
    assertEquals(0, sparse.rowOf(10));
    assertEquals(2, sparse.rowOf(42));
    assertEquals(-1, sparse.rowOf(1));
  }
}
