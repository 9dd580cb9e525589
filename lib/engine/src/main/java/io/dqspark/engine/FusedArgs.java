package io.dqspark.engine;

import io.dqspark.util.DqInputException;

/** Argument checks of the fused kernels, once per call before the loops. */
final class FusedArgs {
  private FusedArgs() {}

  static void weighted(CsrAdjacency adj, byte[] edgeCodes, int zc, byte[] x, int width, int zx,
      int za, int shift, int[] bias, byte[] out) {
    if (edgeCodes == null) {
      throw new DqInputException("the weighted aggregation needs per-edge codes");
    }
    KernelArgs.aggregate(adj, edgeCodes.length, x.length, width, out.length);
    KernelArgs.zeroPoint("edge weight zero point", zc);
    KernelArgs.zeroPoint("activation zero point", zx);
    KernelArgs.zeroPoint("aggregate zero point", za);
    shift(shift);
    if (bias == null || bias.length < width) {
      throw new DqInputException("bias must hold width = " + width + " values");
    }
  }

  static void rows(float[] perRow, int rows) {
    if (perRow == null || perRow.length < rows) {
      throw new DqInputException("per-row factors must hold " + rows + " values, got "
          + (perRow == null ? "null" : perRow.length));
    }
  }

  static void quantize(float[] x, float qmin, float qmax, int offset, byte[] out) {
    if (out.length < x.length) {
      throw new DqInputException("codes hold " + out.length + " values, need " + x.length);
    }
    if (qmin - offset < Byte.MIN_VALUE || qmax - offset > Byte.MAX_VALUE || qmin > qmax) {
      throw new DqInputException("code range [" + qmin + ", " + qmax + "] - " + offset
          + " does not fit int8");
    }
  }

  static void gin(CsrAdjacency adj, byte[] m, int width, int zm, int za, int shift,
      float[] features, byte[] codes, float[] selfLut, byte[] out) {
    KernelArgs.aggregate(adj, -1, m.length, width, out.length);
    KernelArgs.zeroPoint("message zero point", zm);
    KernelArgs.zeroPoint("aggregate zero point", za);
    shift(shift);
    long need = (long) adj.targets() * width;
    if (features != null && features.length < need) {
      throw new DqInputException("self features hold " + features.length + " values, need " + need);
    }
    if (features == null && selfLut != null) {
      if (selfLut.length != 256) {
        throw new DqInputException("self table must have 256 entries, got " + selfLut.length);
      }
      if (codes == null || codes.length < need) {
        throw new DqInputException("self codes must hold targets*width = " + need + " values");
      }
    }
  }

  static void lut(byte[] lut) {
    if (lut != null && lut.length != 256) {
      throw new DqInputException("code table must have 256 entries, got " + lut.length);
    }
  }

  private static void shift(int shift) {
    if (shift < 0 || shift > 24) {
      throw new DqInputException("shift must be in [0, 24], got " + shift);
    }
  }
}
