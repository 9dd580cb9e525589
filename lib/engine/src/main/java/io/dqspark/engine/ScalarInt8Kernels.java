package io.dqspark.engine;

/**
 * Plain-Java integer kernels: the reference the vector (and any native) kernels must equal bit
 * for bit, and the fallback when the Vector API is absent. C2 does not auto-vectorise these int8
 * loops (design §5), so they are written for clarity, not speed.
 */
final class ScalarInt8Kernels implements Int8Kernels {
  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public void dense(byte[] x, int rows, Int8DenseWeights w, int[] out) {
    final int k = w.k();
    final int n = w.n();
    KernelArgs.dense(x.length, rows, k, n, out.length);
    final int np = w.paddedN();
    final int[] wc = w.centred();
    final int[] terms = w.columnTerms();
    for (int r = 0; r < rows; r++) {
      final int xo = r * k;
      final int oo = r * n;
      for (int j = 0; j < n; j++) {
        int acc = 0;
        for (int i = 0; i < k; i++) {
          acc += x[xo + i] * wc[i * np + j];
        }
        out[oo + j] = acc + terms[j];
      }
    }
  }

  @Override
  public void denseRequantize(byte[] x, int rows, Int8DenseWeights w, Requantizer rq, byte[] out) {
    final int k = w.k();
    final int n = w.n();
    KernelArgs.dense(x.length, rows, k, n, out.length);
    final int np = w.paddedN();
    final int[] wc = w.centred();
    final int[] terms = w.columnTerms();
    for (int r = 0; r < rows; r++) {
      final int xo = r * k;
      final int oo = r * n;
      for (int j = 0; j < n; j++) {
        int acc = 0;
        for (int i = 0; i < k; i++) {
          acc += x[xo + i] * wc[i * np + j];
        }
        out[oo + j] = (byte) rq.apply(acc + terms[j]);
      }
    }
  }

  @Override
  public void requantize(int[] acc, int accOffset, byte[] out, int outOffset, int length,
      Requantizer rq) {
    KernelArgs.requantize(acc.length, accOffset, out.length, outOffset, length);
    for (int i = 0; i < length; i++) {
      out[outOffset + i] = (byte) rq.apply(acc[accOffset + i]);
    }
  }

  @Override
  public void aggregate(CsrAdjacency adj, byte[] edgeCodes, int edgeZeroPoint, byte[] x, int width,
      int xZeroPoint, int[] out) {
    checkAggregate(adj, edgeCodes, edgeZeroPoint, x, width, xZeroPoint, out.length);
    for (int v = 0; v < adj.targets(); v++) {
      aggregateRow(adj, edgeCodes, edgeZeroPoint, x, width, xZeroPoint, v, out, v * width);
    }
  }

  @Override
  public void aggregateRequantize(CsrAdjacency adj, byte[] edgeCodes, int edgeZeroPoint, byte[] x,
      int width, int xZeroPoint, Requantizer rq, byte[] out) {
    checkAggregate(adj, edgeCodes, edgeZeroPoint, x, width, xZeroPoint, out.length);
    int[] row = new int[width];
    for (int v = 0; v < adj.targets(); v++) {
      aggregateRow(adj, edgeCodes, edgeZeroPoint, x, width, xZeroPoint, v, row, 0);
      for (int j = 0; j < width; j++) {
        out[v * width + j] = (byte) rq.apply(row[j]);
      }
    }
  }

  @Override
  public void messageSum(CsrAdjacency adj, byte[] edgeCodes, int edgeZeroPoint, byte[] x, int width,
      int xZeroPoint, Requantizer message, int[] out) {
    checkMessageSum(adj, edgeCodes, edgeZeroPoint, x, width, xZeroPoint, out.length);
    final int[] rowPtr = adj.rowPtr();
    final int[] colIdx = adj.colIdx();
    final int zm = message.zeroPoint();
    for (int v = 0; v < adj.targets(); v++) {
      for (int j = 0; j < width; j++) {
        int acc = 0;
        for (int e = rowPtr[v]; e < rowPtr[v + 1]; e++) {
          acc += message.apply((edgeCodes[e] - edgeZeroPoint) * (x[colIdx[e] * width + j] - xZeroPoint)) - zm;
        }
        out[v * width + j] = acc;
      }
    }
  }

  static void checkMessageSum(CsrAdjacency adj, byte[] edgeCodes, int edgeZeroPoint, byte[] x,
      int width, int xZeroPoint, int outLength) {
    if (edgeCodes == null) {
      throw new io.dqspark.util.DqInputException("messageSum needs per-edge codes");
    }
    checkAggregate(adj, edgeCodes, edgeZeroPoint, x, width, xZeroPoint, outLength);
  }

  static void checkAggregate(CsrAdjacency adj, byte[] edgeCodes, int edgeZeroPoint, byte[] x,
      int width, int xZeroPoint, int outLength) {
    KernelArgs.aggregate(adj, edgeCodes == null ? -1 : edgeCodes.length, x.length, width, outLength);
    KernelArgs.zeroPoint("activation zero point", xZeroPoint);
    if (edgeCodes != null) {
      KernelArgs.zeroPoint("edge weight zero point", edgeZeroPoint);
    }
  }

  /** One target's sums into {@code dst[dstOffset .. +width)}. */
  private static void aggregateRow(CsrAdjacency adj, byte[] edgeCodes, int edgeZeroPoint,
      byte[] x, int width, int xZeroPoint, int v, int[] dst, int dstOffset) {
    final int[] rowPtr = adj.rowPtr();
    final int[] colIdx = adj.colIdx();
    final int from = rowPtr[v];
    final int to = rowPtr[v + 1];
    for (int j = 0; j < width; j++) {
      int acc = 0;
      for (int e = from; e < to; e++) {
        int a = edgeCodes == null ? 1 : edgeCodes[e] - edgeZeroPoint;
        acc += a * (x[colIdx[e] * width + j] - xZeroPoint);
      }
      dst[dstOffset + j] = acc;
    }
  }
}
