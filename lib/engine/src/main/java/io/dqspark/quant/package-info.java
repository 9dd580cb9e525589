/**
 * Quantization primitives for Degree-Quant training and integer inference (design §4, §5), on
 * plain {@code float[]} so they do not depend on ND4J: the affine quantizer ({@link
 * io.dqspark.quant.QuantParams}, {@link io.dqspark.quant.FakeQuantizer}), range trackers (DQ
 * percentiles, QAT moving average), O(n) selection, the per-step protective node mask and the
 * fixed-point multiplier that requantizes int32 accumulators.
 *
 * <p>Conventions shared by every class here: a tensor is row-major {@code [rows, cols]} in one
 * array; a row mask is a {@code boolean[rows]} where {@code true} marks a protected row (a
 * high-degree node kept in full precision this step) and {@code null} means nothing is
 * protected. Objects holding state (trackers) are not thread-safe: one per layer per model.
 */
package io.dqspark.quant;
