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
  /** Partial sums of a target's softmax numerators (the order of its float sum, see {@link #int8Layer}). */
  int PARTIAL_SUMS = 16;

  /** "vector" or "scalar". */
  String name();

  /**
   * The fast integer pass of one layer. For each target {@code v}, head {@code h} and in-edge
   * {@code e} from {@code u} (in CSR order), with {@code M = 1.5 * 2^23}:
   * <pre>
   *   c[e,h]   = rint(clamp(sf[u H + h] + df[v H + h], logitMin, logitMax))   (the logit code)
   *   w[e,h]   = weights[c[e,h] - logitMin]
   *   den[h]   = P_0 + P_1 + ... + P_15,  P_i = sum over e = i mod 16 of w[e,h]   (float, in that order)
   *   k[e,h]   = w[e,h] * (message / den[h])                   (alpha times s_xw / s_msg)
   *   msg[e,j] = clamp(bits(fma(z[u W + j] - z_xw, k[e,h], M)) - bits(M), messageMin, messageMax)
   *            = clamp(rint((z - z_xw) alpha s_xw / s_msg))  (h = j / F: the message, rounded)
   *   s[j]     = sum_e msg[e,j]                                 (int32, exact)
   *   agg[j]   = aggregate.apply(s[j]) - z_agg
   *   out[v nOut + j] = output.apply((sum over merged heads of agg) &lt;&lt; shift + bias[j])
   * </pre>
   * where {@code sf = S m_logit} and {@code df = D m_logit + z_logit} hold each node's source and
   * destination attention scores already scaled to logit codes. A target without in-edges gets
   * {@code agg = 0}. Float operations are those written, in that order, in every implementation;
   * the sum {@code den} is split in {@link #PARTIAL_SUMS} partial sums so that vector lanes (16, or
   * 2 x 8) over edges hold exactly those.
   */
  void int8Layer(GatInt8Pass p, CsrAdjacency adj, byte[] z, float[] sf, float[] df, byte[] out);

  /**
   * The FP32 pass of one layer: {@code l = LeakyReLU_0.2(sf[u H + h] + df[v H + h])}, the softmax
   * of {@code l} over each target's in-edges (largest logit subtracted), the weighted sum of the
   * source rows of {@code z}, heads concatenated or averaged, bias and activation:
   * {@code out [targets, nOut]}.
   */
  void fp32Layer(GatFloatPass p, CsrAdjacency adj, float[] z, float[] sf, float[] df, float[] out);

  /** The reference implementation. */
  static GatKernels scalar() {
    return ScalarGatKernels.INSTANCE;
  }

  /** The Vector API kernels where {@link Kernels#vectorized()}, else the scalar ones. */
  static GatKernels selected() {
    return GatSelection.SELECTED;
  }
}
