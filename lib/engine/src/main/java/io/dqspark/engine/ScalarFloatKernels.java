package io.dqspark.engine;

/** Plain-Java FP32 kernels; the order of operations the vector twin reproduces exactly. */
final class ScalarFloatKernels implements FloatKernels {
  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public void dense(float[] x, int rows, FloatDenseWeights w, float[] out) {
    final int k = w.k();
    final int n = w.n();
    KernelArgs.dense(x.length, rows, k, n, out.length);
    final int np = w.paddedN();
    final float[] wp = w.weights();
    final float[] bias = w.bias();
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < n; j++) {
        float acc = 0f;
        for (int i = 0; i < k; i++) {
          acc = Math.fma(x[r * k + i], wp[i * np + j], acc);
        }
        out[r * n + j] = acc + bias[j];
      }
    }
  }

  @Override
  public void aggregate(CsrAdjacency adj, float[] edgeWeights, float[] x, int width, float[] out) {
    KernelArgs.aggregate(adj, edgeWeights == null ? -1 : edgeWeights.length, x.length, width, out.length);
    final int[] rowPtr = adj.rowPtr();
    final int[] colIdx = adj.colIdx();
    for (int v = 0; v < adj.targets(); v++) {
      for (int j = 0; j < width; j++) {
        float acc = 0f;
        for (int e = rowPtr[v]; e < rowPtr[v + 1]; e++) {
          float xv = x[colIdx[e] * width + j];
          acc = edgeWeights == null ? acc + xv : Math.fma(edgeWeights[e], xv, acc);
        }
        out[v * width + j] = acc;
      }
    }
  }

  @Override
  public void aggregate(CsrAdjacency adj, float[] edgeWeights, float[] x, int width,
      float selfFactor, float[] bias, boolean relu, float[] out) {
    aggregate(adj, edgeWeights, x, width, out);
    FloatTails.check(adj, x, width, selfFactor, bias);
    for (int v = 0; v < adj.targets(); v++) {
      FloatTails.scalarRow(x, out, v * width, width, selfFactor, bias, relu);
    }
  }

  @Override
  public void dense(float[] x, int rows, FloatDenseWeights w, boolean relu, float[] out) {
    dense(x, rows, w, out);
    if (relu) {
      for (int i = 0; i < rows * w.n(); i++) {
        out[i] = out[i] < 0f ? 0f : out[i];
      }
    }
  }
}
