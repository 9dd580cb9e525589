package io.dqspark.gnn;

import io.dqspark.quant.EmaMinMaxTracker;
import io.dqspark.quant.PercentileRangeTracker;
import io.dqspark.quant.RangeTracker;
import io.dqspark.quant.SteRule;

/** How a layer treats its quantization points during training and evaluation. */
public enum QuantMode {
  /** No quantization: every point is the identity and tracks nothing. */
  FP32,
  /**
   * Plain quantization-aware training: moving-average min/max ranges, plain straight-through
   * gradients, nothing protected. The average (momentum 0.01) lags activations that grow during
   * training: from a random start on Cora it clipped almost everything and reached 15.8% after 100
   * Adam steps, while a warm start from FP32 parameters works; prefer warm starts.
   */
  QAT,
  /**
   * Degree-Quant: percentile ranges over unprotected nodes, clip-aware straight-through gradients,
   * and a fresh random set of protected nodes every training step.
   */
  DQ;

  /** The range tracker this mode uses for a point of the given bit width; null for FP32. */
  RangeTracker newTracker(int bits) {
    switch (this) {
      case QAT: return new EmaMinMaxTracker();
      case DQ: return PercentileRangeTracker.forBits(bits);
      default: return null;
    }
  }

  SteRule steRule() {
    return this == DQ ? SteRule.CLIP_AWARE : SteRule.PLAIN;
  }
}
