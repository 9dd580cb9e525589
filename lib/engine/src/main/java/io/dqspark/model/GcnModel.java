package io.dqspark.model;

import io.dqspark.util.DqInputException;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A GCN node classifier (the only model format version 1 knows): a chain of {@link GcnLayer}s whose
 * last outputs are the logits. The constructor checks that each layer reads what the previous one
 * writes: widths, and the input multiplier against both layers' scales.
 */
public record GcnModel(Map<String, String> provenance, List<GcnLayer> layers) implements QuantizedModel {
  public GcnModel {
    ModelChecks.checkCount(layers);
    for (int i = 0; i < layers.size(); i++) {
      GcnLayer l = Objects.requireNonNull(layers.get(i), "layer");
      if (i == 0) {
        if (l.inputMultiplier() != null) {
          throw new DqInputException("layer 0 reads float features: it must have no input multiplier");
        }
        continue;
      }
      GcnLayer prev = layers.get(i - 1);
      if (l.nIn() != prev.nOut()) {
        throw new DqInputException("layer " + i + " has nIn " + l.nIn() + " but layer " + (i - 1)
            + " has nOut " + prev.nOut());
      }
      LayerChecks.check("layer " + i + " input", l.inputMultiplier(),
          (double) prev.params(GcnSite.OUTPUT).scale() / l.params(GcnSite.INPUT).scale());
    }
    provenance = ModelChecks.provenance(provenance);
    layers = List.copyOf(layers);
  }

  @Override public String architecture() { return GCN; }
  @Override public ModelTask task() { return ModelTask.NODE; }
  @Override public int layerCount() { return layers.size(); }
  @Override public int inputWidth() { return layers.get(0).nIn(); }
  @Override public int classes() { return layers.get(layers.size() - 1).nOut(); }

  @Override
  public GcnModel withProvenance(String key, String value) {
    return new GcnModel(ModelChecks.with(provenance, key, value), layers);
  }

  /**
   * {@link Arithmetic#EXACT} when a layer's messages or normalisation have fewer than 8 bits, else
   * {@link Arithmetic#FAST}: INT4 messages are so coarse that rounding each one decides predictions.
   */
  @Override
  public Arithmetic architectureRule() {
    for (GcnLayer l : layers) {
      if (l.params(GcnSite.MESSAGE).bits() < 8 || l.params(GcnSite.NORM).bits() < 8) {
        return Arithmetic.EXACT;
      }
    }
    return Arithmetic.FAST;
  }

  @Override public IntegerGcn scorer() { return new IntegerGcn(this); }
  @Override public IntegerGcn scorer(Arithmetic arithmetic) { return new IntegerGcn(this, arithmetic); }

  @Override
  public boolean equals(Object o) {
    return o instanceof GcnModel m && layers.equals(m.layers)
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
