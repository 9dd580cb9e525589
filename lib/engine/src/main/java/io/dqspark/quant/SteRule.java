package io.dqspark.quant;

/** Backward rule of the fake quantizer. */
public enum SteRule {
  /** Straight-through: the gradient passes unchanged everywhere (plain QAT baseline). */
  PLAIN,
  /**
   * Degree-Quant's rule: zero gradient where the rounded code fell outside {@code [qmin, qmax]}
   * and was clipped, pass-through elsewhere. (The reference code also zeroes codes equal to
   * qmin or qmax; we follow PyTorch's fake-quant and keep the gradient at the boundary codes.)
   */
  CLIP_AWARE
}
