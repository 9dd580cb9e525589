package io.dqspark.model;

import io.dqspark.util.DqInputException;
import java.util.Locale;

/**
 * How an integer engine computes (design §5.6). {@link #EXACT} reproduces the training layers'
 * evaluation forward quantization point by quantization point (GCN: every message requantized on
 * its own), with fixed-point requantization. {@link #FAST}, the default, keeps every int8 tensor
 * the model stores between layers but drops intermediate roundings that cost a pass over edges or
 * nodes (GCN's per-message requantization) and requantizes in float lanes; the agreement tests
 * hold it to the fake-quant model's predictions on at least 99% of nodes or graphs.
 */
public enum Arithmetic {
  EXACT,
  FAST;

  /** System property naming the default ({@code exact} or {@code fast}). */
  public static final String PROPERTY = "dq.engine.arithmetic";
  /** Provenance key under which the export records the arithmetic it measured (design §5.6). */
  public static final String PROVENANCE_KEY = "arithmetic";

  /**
   * The default for {@code model}: {@value #PROPERTY} if set, else the arithmetic the export chose
   * by measuring agreement on the training graph ({@value #PROVENANCE_KEY} in the provenance), else
   * the fastest arithmetic that meets the agreement bar for its architecture and precision
   * (design §5.6): {@link #FAST} for
   * GIN, and for a GCN whose messages have 8 bits; {@link #EXACT} for a GCN with fewer (INT4
   * messages are so coarse that rounding each one decides predictions: Cora QAT INT4 agreed on
   * 84% of nodes without it). GAT: {@link #FAST} at every precision (its fast arithmetic still
   * rounds every message), unless a layer's LOGIT range spans more than 40 nats, beyond which the
   * fast softmax table would floor the weights of the lowest logits.
   */
  public static Arithmetic defaultFor(QuantizedModel model) {
    String forced = System.getProperty(PROPERTY);
    if (forced != null) {
      return parse(forced);
    }
    String measured = model.provenance().get(PROVENANCE_KEY);
    if (measured != null) {
      return parse(measured);
    }
    return byArchitecture(model);
  }

  /**
   * The architecture's rule alone, without a property or a measured choice: each model type states
   * its own ({@link QuantizedModel#architectureRule}).
   */
  public static Arithmetic byArchitecture(QuantizedModel model) {
    return model.architectureRule();
  }

  /** {@code exact} or {@code fast}, any case; anything else is an error naming the choices. */
  public static Arithmetic parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new DqInputException("arithmetic must be 'exact' or 'fast', got '" + s + "'");
    }
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
