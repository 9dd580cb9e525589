package io.dqspark.engine;

import io.dqspark.util.DqInputException;

/** Argument checks of the GAT kernels, once per call before the loops. */
final class GatArgs {
  private GatArgs() {}

  static void check(CsrAdjacency adj, int heads, int width, int nOut, int zLength, float[] sf,
      float[] df, int outLength) {
    if (zLength < (long) adj.sources() * width) {
      throw new DqInputException("XW holds " + zLength + " values, needs sources*width = "
          + (long) adj.sources() * width);
    }
    if (sf == null || sf.length < (long) adj.sources() * heads) {
      throw new DqInputException("source scores must hold sources*heads = "
          + (long) adj.sources() * heads + " values");
    }
    if (df == null || df.length < (long) adj.targets() * heads) {
      throw new DqInputException("destination scores must hold targets*heads = "
          + (long) adj.targets() * heads + " values");
    }
    if (outLength < (long) adj.targets() * nOut) {
      throw new DqInputException("output holds " + outLength + " values, needs targets*nOut = "
          + (long) adj.targets() * nOut);
    }
  }

  static int maxDegree(CsrAdjacency adj) {
    int[] rowPtr = adj.rowPtr();
    int max = 0;
    for (int v = 0; v < adj.targets(); v++) {
      max = Math.max(max, rowPtr[v + 1] - rowPtr[v]);
    }
    return max;
  }
}
