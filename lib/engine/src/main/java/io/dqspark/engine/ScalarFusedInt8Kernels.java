package io.dqspark.engine;

/**
 * The reference {@link FusedInt8Kernels}: the definitions written out, element by element. The
 * vector kernels must equal these bit for bit (FusedKernelTest checks it on the CPU at hand).
 */
final class ScalarFusedInt8Kernels implements FusedInt8Kernels {
  static final ScalarFusedInt8Kernels INSTANCE = new ScalarFusedInt8Kernels();

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public void gcnAggregate(CsrAdjacency adj, byte[] edgeCodes, int zc, byte[] x,
      int width, int zx, FloatRequant agg, int za, int shift, int[] bias, FloatRequant output,
      byte[] out) {
    FusedArgs.weighted(adj, edgeCodes, zc, x, width, zx, za, shift, bias, out);
    final int[] rowPtr = adj.rowPtr();
    final int[] colIdx = adj.colIdx();
    for (int v = 0; v < adj.targets(); v++) {
      for (int j = 0; j < width; j++) {
        int s = 0;
        for (int e = rowPtr[v]; e < rowPtr[v + 1]; e++) {
          s += (edgeCodes[e] - zc) * (x[colIdx[e] * width + j] - zx);
        }
        int a = agg.apply(s);
        out[v * width + j] = (byte) output.apply(((a - za) << shift) + bias[j]);
      }
    }
  }

  @Override
  public void quantize(float[] x, float invScale, float zeroPoint, float qmin, float qmax,
      int offset, byte[] out) {
    FusedArgs.quantize(x, qmin, qmax, offset, out);
    for (int i = 0; i < x.length; i++) {
      out[i] = (byte) (quantize(x[i], invScale, zeroPoint, qmin, qmax) - offset);
    }
  }

  /** The training quantizer's code of {@code x}: NaN to the zero point, as FakeQuantizer does. */
  static int quantize(float x, float invScale, float zeroPoint, float qmin, float qmax) {
    float t = x * invScale + zeroPoint;
    return t != t ? (int) zeroPoint : FloatRequant.roundClamped(t, qmin, qmax);
  }

  @Override
  public void ginAggregate(CsrAdjacency adj, byte[] m, int width, int zm, FloatRequant agg, int za,
      int shift, float[] features, float selfFactor, byte[] codes, float[] selfLut,
      FloatRequant next, byte[] out) {
    FusedArgs.gin(adj, m, width, zm, za, shift, features, codes, selfLut, out);
    final int[] rowPtr = adj.rowPtr();
    final int[] colIdx = adj.colIdx();
    final float mNext = next.multiplier();
    for (int v = 0; v < adj.targets(); v++) {
      for (int j = 0; j < width; j++) {
        int s = 0;
        for (int e = rowPtr[v]; e < rowPtr[v + 1]; e++) {
          s += m[colIdx[e] * width + j] - zm;
        }
        int a = agg.apply(s);
        int i = v * width + j;
        float self = features != null ? selfFactor * features[i]
            : selfLut != null ? selfLut[codes[i] + 128] : 0f;
        out[i] = (byte) next.applyFloat(((a - za) << shift) * mNext + self);
      }
    }
  }

  @Override
  public void denseRequantize(byte[] x, int rows, Int8DenseWeights w, FloatRequant rq, byte[] lut,
      byte[] out) {
    final int k = w.k();
    final int n = w.n();
    KernelArgs.dense(x.length, rows, k, n, out.length);
    FusedArgs.lut(lut);
    final int np = w.paddedN();
    final int[] wc = w.centred();
    final int[] terms = w.columnTerms();
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < n; j++) {
        int acc = 0;
        for (int i = 0; i < k; i++) {
          acc += x[r * k + i] * wc[i * np + j];
        }
        int q = rq.apply(acc + terms[j]);
        out[r * n + j] = lut == null ? (byte) q : lut[q + 128];
      }
    }
  }
}
