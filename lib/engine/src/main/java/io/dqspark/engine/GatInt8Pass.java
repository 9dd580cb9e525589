package io.dqspark.engine;

import io.dqspark.util.DqInputException;

/**
 * The constants of one GAT layer's fast integer pass ({@link GatKernels#int8Layer}, design §5.6),
 * for {@code H = heads} heads of width {@code F = outPerHead} ({@code W = H F} columns of XW,
 * head {@code h} in columns {@code hF .. hF + F - 1}):
 *
 * <ul>
 *   <li>{@code logitMin, logitMax}: the LOGIT site's code range; {@code weights[c - logitMin]} is
 *       the softmax numerator of logit code {@code c}, {@code exp(s_logit (LeakyReLU(c - z_logit)
 *       - LeakyReLU(logitMax - z_logit)))} as a float (one per code: the logits are int8, so the
 *       exponential is a table and needs no per-target maximum).
 *   <li>{@code xwZeroPoint}: XW's zero point; an edge's message is {@code alpha (z - z_xw)}.
 *   <li>{@code message}, {@code messageMin}, {@code messageMax}: {@code s_xw / s_msg} and the
 *       MESSAGE site's code range minus its zero point; every message is rounded to that site.
 *   <li>{@code aggregate}: the MESSAGE-to-AGGREGATE requantization of the message sums.
 *   <li>{@code shift}, {@code bias}, {@code output}: the head merge (concatenated, or summed over
 *       heads when averaged), {@code ((agg - z_agg) << shift) + bias}, requantized to the output.
 * </ul>
 */
public record GatInt8Pass(int heads, int outPerHead, boolean concat, int xwZeroPoint,
    int logitMin, int logitMax, float[] weights, float message, int messageMin, int messageMax,
    FloatRequant aggregate, int shift, int[] bias, FloatRequant output) {
  /** The smallest table weight: logits more than 44 nats under the LOGIT site's top are floored here. */
  public static final float MIN_WEIGHT = 0x1p-64f;
  /**
   * The largest message multiplier: {@code |z - z_xw| s_xw / s_msg} must stay under {@code 2^22}
   * for the float rounding of a message ({@code 255 * 2^13 < 2^21}).
   */
  public static final float MAX_MESSAGE_MULTIPLIER = 0x1p13f;

  public GatInt8Pass {
    if (heads < 1 || outPerHead < 1 || (long) heads * outPerHead > (1 << 20)) {
      throw new DqInputException("GAT pass needs heads, outPerHead >= 1 and heads * outPerHead <= 2^20, got "
          + heads + " x " + outPerHead);
    }
    Int8DenseWeights.checkInt8("XW zero point", xwZeroPoint);
    if (logitMin > logitMax || logitMin < -128 || logitMax > 127) {
      throw new DqInputException("logit codes [" + logitMin + ", " + logitMax + "] must lie in int8");
    }
    if (weights == null || weights.length != logitMax - logitMin + 1) {
      throw new DqInputException("softmax table must hold one weight per logit code ("
          + (logitMax - logitMin + 1) + "), got " + (weights == null ? "null" : weights.length));
    }
    for (float w : weights) {
      // a floor far above float's smallest normal: 1 / (a target's weight sum) stays finite
      if (!(w >= MIN_WEIGHT && w <= 1f)) {
        throw new DqInputException("softmax weights must lie in [2^-64, 1], got " + w);
      }
    }
    if (!(message > 0 && message <= MAX_MESSAGE_MULTIPLIER)) {
      throw new DqInputException("message multiplier must lie in (0, 2^13], got " + message);
    }
    if (messageMin > 0 || messageMax < 0 || messageMin < -255 || messageMax > 255) {
      throw new DqInputException("message codes minus the zero point must span 0 within +-255, got ["
          + messageMin + ", " + messageMax + "]");
    }
    if (aggregate == null || output == null) {
      throw new DqInputException("GAT pass needs the aggregate and output requantizations");
    }
    if (shift < 0 || shift > 24) {
      throw new DqInputException("shift must be in [0, 24], got " + shift);
    }
    int nOut = concat ? heads * outPerHead : outPerHead;
    if (bias == null || bias.length != nOut) {
      throw new DqInputException("bias must hold " + nOut + " values, got "
          + (bias == null ? "null" : bias.length));
    }
  }

  /** Columns of XW. */
  public int width() {
    return heads * outPerHead;
  }

  /** Output columns: all heads side by side, or one head's width when averaged. */
  public int nOut() {
    return concat ? width() : outPerHead;
  }

  /** Heads summed into one output column. */
  public int merged() {
    return concat ? 1 : heads;
  }
}
