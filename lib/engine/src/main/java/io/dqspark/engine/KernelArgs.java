package io.dqspark.engine;

import io.dqspark.util.DqInputException;

/** Argument checks shared by the kernel implementations, done once per call before the loops. */
final class KernelArgs {
  private KernelArgs() {}

  static void dense(int xLength, int rows, int k, int n, int outLength) {
    if (rows < 0) {
      throw new DqInputException("rows must be >= 0, got " + rows);
    }
    if (xLength < (long) rows * k) {
      throw new DqInputException("input holds " + xLength + " values, needs rows*k = " + (long) rows * k);
    }
    if (outLength < (long) rows * n) {
      throw new DqInputException("output holds " + outLength + " values, needs rows*n = " + (long) rows * n);
    }
  }

  static void requantize(int accLength, int accOffset, int outLength, int outOffset, int length) {
    if (length < 0 || accOffset < 0 || outOffset < 0 || accOffset > accLength - length
        || outOffset > outLength - length) {
      throw new DqInputException("requantize range out of bounds: acc[" + accOffset + " + " + length
          + "] of " + accLength + ", out[" + outOffset + " + " + length + "] of " + outLength);
    }
  }

  static void aggregate(CsrAdjacency adj, int edgeWeightsLength, int xLength, int width, int outLength) {
    if (width < 1) {
      throw new DqInputException("width must be >= 1, got " + width);
    }
    if (edgeWeightsLength >= 0 && edgeWeightsLength != adj.edges()) {
      throw new DqInputException("edge weights hold " + edgeWeightsLength + " values, the graph has "
          + adj.edges() + " edges");
    }
    if (xLength < (long) adj.sources() * width) {
      throw new DqInputException("source features hold " + xLength + " values, need sources*width = "
          + (long) adj.sources() * width);
    }
    if (outLength < (long) adj.targets() * width) {
      throw new DqInputException("output holds " + outLength + " values, needs targets*width = "
          + (long) adj.targets() * width);
    }
  }

  static void zeroPoint(String what, int zp) {
    Int8DenseWeights.checkInt8(what, zp);
  }
}
