package io.dqspark.quant;

import java.util.Arrays;

/**
 * Fake quantization (quantize then dequantize in float) with its straight-through backward, and
 * the float/int code conversions used at export.
 *
 * <p>Forward, per element: {@code t = rint(x * invScale + zp)} in float arithmetic (multiplying
 * by {@code 1/scale} as the reference and PyTorch do; {@code rint} rounds half to even like
 * {@code torch.round}); {@code q = clamp(t, qmin, qmax)}; {@code out = (q - zp) * scale}. An
 * element is <em>clipped</em> when {@code t} fell outside {@code [qmin, qmax]}; the forward
 * records that as one bit per element so that {@link SteRule#CLIP_AWARE} can zero its gradient.
 * NaN propagates (NaN in, NaN out, not clipped). Protected rows pass through unchanged and are
 * never clipped. {@code out} may be the input array.
 */
public final class FakeQuantizer {
  private FakeQuantizer() {}

  /** Length of the {@code long[]} clip record for {@code n} elements. */
  public static int clipWords(int n) {
    return (n + 63) >>> 6;
  }

  public static boolean isClipped(long[] clipped, int i) {
    return (clipped[i >>> 6] & (1L << i)) != 0;
  }

  /** Fake-quantizes all of {@code x}; {@code clipped} may be null when no backward follows. */
  public static void forward(QuantParams p, float[] x, float[] out, long[] clipped) {
    forward(p, x, 1, null, out, clipped);
  }

  /**
   * Fake-quantizes the row-major {@code [rows, cols]} tensor {@code x}, leaving rows with
   * {@code protectedRows[r]} unchanged ({@code protectedRows} may be null: none protected).
   */
  public static void forward(QuantParams p, float[] x, int cols, boolean[] protectedRows,
      float[] out, long[] clipped) {
    int rows = Shapes.rows(x, cols, protectedRows);
    if (out.length != x.length) {
      throw new IllegalArgumentException("out has " + out.length + " elements, x has " + x.length);
    }
    if (clipped != null) {
      if (clipped.length < clipWords(x.length)) {
        throw new IllegalArgumentException("clip record has " + clipped.length + " words, needs "
            + clipWords(x.length));
      }
      Arrays.fill(clipped, 0L);
    }
    final float inv = p.invScale();
    final float scale = p.scale();
    final float zp = p.zeroPoint();
    final float qmin = p.qmin();
    final float qmax = p.qmax();
    for (int r = 0; r < rows; r++) {
      int from = r * cols;
      int to = from + cols;
      if (protectedRows != null && protectedRows[r]) {
        if (out != x) {
          System.arraycopy(x, from, out, from, cols);
        }
        continue;
      }
      for (int i = from; i < to; i++) {
        float t = (float) Math.rint(x[i] * inv + zp);
        if (t < qmin) {
          t = qmin;
          if (clipped != null) {
            clipped[i >>> 6] |= 1L << i;
          }
        } else if (t > qmax) {
          t = qmax;
          if (clipped != null) {
            clipped[i >>> 6] |= 1L << i;
          }
        }
        out[i] = (t - zp) * scale + 0f; // + 0f: rint(-0.3) is -0.0; emit +0.0 like dequantize
      }
    }
  }

  /**
   * Gradient through the fake quantizer: {@code gradIn = gradOut}, except that {@link
   * SteRule#CLIP_AWARE} zeroes clipped elements. {@code gradIn} may be {@code gradOut}.
   */
  public static void backward(SteRule rule, float[] gradOut, long[] clipped, float[] gradIn) {
    int n = gradOut.length;
    if (gradIn.length != n) {
      throw new IllegalArgumentException("gradIn has " + gradIn.length + " elements, gradOut has " + n);
    }
    if (gradIn != gradOut) {
      System.arraycopy(gradOut, 0, gradIn, 0, n);
    }
    if (rule == SteRule.PLAIN) {
      return;
    }
    if (clipped == null || clipped.length < clipWords(n)) {
      throw new IllegalArgumentException("CLIP_AWARE needs the forward's clip record for " + n
          + " elements");
    }
    int words = clipWords(n);
    for (int w = 0; w < words; w++) {
      long bits = clipped[w];
      while (bits != 0) {
        gradIn[(w << 6) + Long.numberOfTrailingZeros(bits)] = 0f;
        bits &= bits - 1;
      }
    }
  }

  /** Scalar fake quantization, identical to one element of {@link #forward} (NaN gives 0). */
  public static float fakeQuantize(QuantParams p, float x) {
    return dequantize(p, quantize(p, x));
  }

  /**
   * The integer code of {@code x}: {@code clamp(rint(x * invScale + zp), qmin, qmax)}; NaN maps
   * to the zero point (the code of 0).
   */
  public static int quantize(QuantParams p, float x) {
    float t = (float) Math.rint(x * p.invScale() + p.zeroPoint());
    if (t != t) {
      return p.zeroPoint();
    }
    return (int) Math.max(p.qmin(), Math.min(p.qmax(), t));
  }

  public static void quantize(QuantParams p, float[] x, int[] codes) {
    if (codes.length != x.length) {
      throw new IllegalArgumentException("codes has " + codes.length + " elements, x has " + x.length);
    }
    final float inv = p.invScale();
    final float zp = p.zeroPoint();
    final float qmin = p.qmin();
    final float qmax = p.qmax();
    for (int i = 0; i < x.length; i++) {
      float t = (float) Math.rint(x[i] * inv + zp);
      codes[i] = t != t ? p.zeroPoint() : (int) Math.max(qmin, Math.min(qmax, t));
    }
  }

  /** {@code (code - zp) * scale} in float, bit-identical to the forward's output. */
  public static float dequantize(QuantParams p, int code) {
    return ((float) code - (float) p.zeroPoint()) * p.scale();
  }

  public static void dequantize(QuantParams p, int[] codes, float[] out) {
    if (codes.length != out.length) {
      throw new IllegalArgumentException("out has " + out.length + " elements, codes has " + codes.length);
    }
    final float zp = p.zeroPoint();
    final float scale = p.scale();
    for (int i = 0; i < codes.length; i++) {
      out[i] = ((float) codes[i] - zp) * scale;
    }
  }
}
