package io.dqspark.engine;

import io.dqspark.util.DqInputException;

/**
 * The constants of one GAT layer's FP32 pass ({@link GatKernels#fp32Layer}): {@code heads} heads
 * of width {@code outPerHead}, concatenated or averaged, the bias of the merged output and the
 * activation after it ({@link #NONE}, {@link #RELU} or {@link #ELU} with alpha 1).
 */
public record GatFloatPass(int heads, int outPerHead, boolean concat, float[] bias, int activation) {
  public static final int NONE = 0;
  public static final int RELU = 1;
  public static final int ELU = 2;
  /** LeakyReLU slope of negative attention logits (the GAT paper's and the training layer's). */
  public static final float NEGATIVE_SLOPE = 0.2f;

  public GatFloatPass {
    if (heads < 1 || outPerHead < 1 || (long) heads * outPerHead > Integer.MAX_VALUE / 2) {
      throw new DqInputException("GAT pass needs heads, outPerHead >= 1, got " + heads + " x " + outPerHead);
    }
    int nOut = concat ? heads * outPerHead : outPerHead;
    if (bias == null || bias.length != nOut) {
      throw new DqInputException("bias must hold " + nOut + " values, got "
          + (bias == null ? "null" : bias.length));
    }
    if (activation < NONE || activation > ELU) {
      throw new DqInputException("activation must be 0 (none), 1 (relu) or 2 (elu), got " + activation);
    }
  }

  public int width() {
    return heads * outPerHead;
  }

  public int nOut() {
    return concat ? width() : outPerHead;
  }

  public int merged() {
    return concat ? 1 : heads;
  }
}
