package io.dqspark.engine;

import io.dqspark.util.DqInputException;

/**
 * In-neighbour lists in compressed sparse row form: the sources of target {@code v}'s edges are
 * {@code colIdx[rowPtr[v] .. rowPtr[v+1])}. Validated once here so that the kernels can index
 * without checks: a bad model or graph file fails with a message instead of a wrong gather.
 */
public final class CsrAdjacency {
  private final int[] rowPtr;
  private final int[] colIdx;
  private final int sources;

  private CsrAdjacency(int[] rowPtr, int[] colIdx, int sources) {
    this.rowPtr = rowPtr;
    this.colIdx = colIdx;
    this.sources = sources;
  }

  /**
   * Wraps (does not copy) {@code rowPtr} ({@code targets + 1} non-decreasing offsets from 0 to
   * {@code colIdx.length}) and {@code colIdx} (source ids in {@code [0, sources)}).
   */
  public static CsrAdjacency of(int[] rowPtr, int[] colIdx, int sources) {
    if (rowPtr == null || colIdx == null) {
      throw new DqInputException("CSR arrays must not be null");
    }
    if (rowPtr.length == 0 || rowPtr[0] != 0) {
      throw new DqInputException("CSR rowPtr must start with 0 and have targets + 1 entries");
    }
    if (sources < 0) {
      throw new DqInputException("CSR source count must be >= 0, got " + sources);
    }
    for (int v = 1; v < rowPtr.length; v++) {
      if (rowPtr[v] < rowPtr[v - 1]) {
        throw new DqInputException("CSR rowPtr decreases at target " + (v - 1) + ": " + rowPtr[v - 1]
            + " > " + rowPtr[v]);
      }
    }
    if (rowPtr[rowPtr.length - 1] != colIdx.length) {
      throw new DqInputException("CSR rowPtr ends at " + rowPtr[rowPtr.length - 1] + " but colIdx has "
          + colIdx.length + " edges");
    }
    for (int e = 0; e < colIdx.length; e++) {
      if (colIdx[e] < 0 || colIdx[e] >= sources) {
        throw new DqInputException("CSR edge " + e + " names source " + colIdx[e] + ", outside [0, "
            + sources + ")");
      }
    }
    return new CsrAdjacency(rowPtr, colIdx, sources);
  }

  public int targets() {
    return rowPtr.length - 1;
  }

  public int sources() {
    return sources;
  }

  public int edges() {
    return colIdx.length;
  }

  /** The offsets array itself (not a copy): kernels read it directly. */
  public int[] rowPtr() {
    return rowPtr;
  }

  /** The source ids array itself (not a copy). */
  public int[] colIdx() {
    return colIdx;
  }
}
