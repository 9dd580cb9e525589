package io.dqspark.model;

import io.dqspark.util.DqInputException;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A GAT node classifier: a chain of {@link GatLayer}s, each one's input as wide as the previous
 * output, whose last outputs are the logits.
 */
public record GatModel(Map<String, String> provenance, List<GatLayer> layers) implements QuantizedModel {
  public GatModel {
    ModelChecks.checkCount(layers);
    for (int i = 0; i < layers.size(); i++) {
      GatLayer l = Objects.requireNonNull(layers.get(i), "GAT layer");
      if (i > 0 && l.nIn() != layers.get(i - 1).nOut()) {
        throw new DqInputException("GAT layer " + i + " has nIn " + l.nIn() + " but layer " + (i - 1)
            + " outputs " + layers.get(i - 1).nOut());
      }
    }
    provenance = ModelChecks.provenance(provenance);
    layers = List.copyOf(layers);
  }

  @Override public String architecture() { return GAT; }
  @Override public ModelTask task() { return ModelTask.NODE; }
  @Override public int layerCount() { return layers.size(); }
  @Override public int inputWidth() { return layers.get(0).nIn(); }
  @Override public int classes() { return layers.get(layers.size() - 1).nOut(); }

  @Override
  public GatModel withProvenance(String key, String value) {
    return new GatModel(ModelChecks.with(provenance, key, value), layers);
  }

  /**
   * {@link Arithmetic#FAST} at every precision (its fast arithmetic still rounds every message),
   * unless a layer's LOGIT range spans more than 40 nats, beyond which the fast softmax table would
   * floor the weights of the lowest logits: then {@link Arithmetic#EXACT}.
   */
  @Override
  public Arithmetic architectureRule() {
    for (GatLayer l : layers) {
      if (IntegerGat.logitSpan(l) > 40) {
        return Arithmetic.EXACT;
      }
    }
    return Arithmetic.FAST;
  }

  @Override public IntegerGat scorer() { return new IntegerGat(this); }
  @Override public IntegerGat scorer(Arithmetic arithmetic) { return new IntegerGat(this, arithmetic); }

  @Override
  public boolean equals(Object o) {
    return o instanceof GatModel m && layers.equals(m.layers)
        && ModelChecks.sameProvenance(provenance, m.provenance);
  }

  @Override
  public int hashCode() {
    return Objects.hash(provenance, layers);
  }

  @Override
  public String toString() {
    return ModelChecks.describe(this, "");
  }
}
