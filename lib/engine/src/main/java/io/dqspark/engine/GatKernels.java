package io.dqspark.engine;

/**
 * A GAT layer's attention, softmax, weighted sum and head merge in one pass per target (design
 * §5.6), after the dense product: the integer engine's fast arithmetic ({@link #int8Layer}) and
 * the FP32 engine's twin ({@link #fp32Layer}), so that the two engines compare data types rather
 * than algorithms. Two implementations: {@link #scalar()}, the reference, and a Vector API one;
 * the integer pass of the two agrees bit for bit (GatKernelTest), the FP32 pass within float
 * rounding (the vector one uses the Vector API's exponential). {@link #selected()} is the one this
 * JVM runs. Kernels allocate their scratch once per call and are thread-safe.
 */
public interface GatKernels {
  /** Partial sums of a target's softmax numerators (the order of their float sum: {@link #numeratorSums}). */
  int PARTIAL_SUMS = 16;

  /** "vector" or "scalar". */
  String name();

  /**
   * The fast integer pass of one layer. For each target {@code v}, head {@code h} and in-edge
   * {@code e} from {@code u} (in CSR order), with {@code M = 1.5 * 2^23}:
   * <pre>
   *   c[e,h]   = rint(clamp(sf[u H + h] + df[v H + h], logitMin, logitMax))   (the logit code)
   *   w[e,h]   = weights[c[e,h] - logitMin]
   *   den[h]   = sum_e w[e,h]            (float, in the order of {@link #numeratorSums})
   *   k[e,h]   = w[e,h] * (message / den[h])                   (alpha times s_xw / s_msg)
   *   msg[e,j] = clamp(bits(fma(z[u W + j] - z_xw, k[e,h], M)) - bits(M), messageMin, messageMax)
   *            = clamp(rint((z - z_xw) alpha s_xw / s_msg))  (h = j / F: the message, rounded)
   *   s[j]     = sum_e msg[e,j]                                 (int32, exact)
   *   agg[j]   = aggregate.apply(s[j]) - z_agg
   *   out[v nOut + j] = output.apply((sum over merged heads of agg) &lt;&lt; shift + bias[j])
   * </pre>
   * where {@code sf = S m_logit} and {@code df = D m_logit + z_logit} hold each node's source and
   * destination attention scores already scaled to logit codes. A target without in-edges gets
   * {@code agg = 0}. Float operations are those written, in that order, in every implementation.
   */
  void int8Layer(GatInt8Pass p, CsrAdjacency adj, byte[] z, float[] sf, float[] df, byte[] out);

  /**
   * The FP32 pass of one layer: {@code l = LeakyReLU_0.2(sf[u H + h] + df[v H + h])}, the softmax
   * of {@code l} over each target's in-edges (largest logit subtracted), the weighted sum of the
   * source rows of {@code z}, heads concatenated or averaged, bias and activation:
   * {@code out [targets, nOut]}.
   */
  void fp32Layer(GatFloatPass p, CsrAdjacency adj, float[] z, float[] sf, float[] df, float[] out);

  /**
   * Each head's sum of the numerators {@code w[e H + h]} of {@code degree} edges, in the order the
   * vector kernels' lanes hold them. When {@code H} divides 16, the flat positions {@code q = e H
   * + h} are summed in 16 partial sums {@code S_i} (over {@code q = i mod 16}, in order of
   * {@code q}), which are then folded pairwise, {@code S_i + S_(i+8)}, then {@code + S_(i+4)}, ...
   * while the half is at least {@code H}: head {@code h}'s sum ends in {@code S_h}. For other head
   * counts, each head's numerators are summed in edge order. {@code partial} holds 16 floats.
   */
  static void numeratorSums(float[] w, int degree, int heads, float[] partial, float[] den) {
    if (PARTIAL_SUMS % heads == 0) {
      java.util.Arrays.fill(partial, 0f);
      for (int q = 0; q < degree * heads; q++) {
        partial[q % PARTIAL_SUMS] += w[q];
      }
      for (int half = PARTIAL_SUMS / 2; half >= heads; half /= 2) {
        for (int i = 0; i < half; i++) {
          partial[i] = partial[i] + partial[i + half];
        }
      }
      System.arraycopy(partial, 0, den, 0, heads);
    } else {
      for (int h = 0; h < heads; h++) {
        float d = 0f;
        for (int e = 0; e < degree; e++) {
          d += w[e * heads + h];
        }
        den[h] = d;
      }
    }
  }

  /** The reference implementation. */
  static GatKernels scalar() {
    return ScalarGatKernels.INSTANCE;
  }

  /** The Vector API kernels where {@link Kernels#vectorized()}, else the scalar ones. */
  static GatKernels selected() {
    return GatSelection.SELECTED;
  }
}
