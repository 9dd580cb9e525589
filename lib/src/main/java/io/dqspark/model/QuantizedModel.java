package io.dqspark.model;

import io.dqspark.util.DqInputException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An integer-only model as stored in a {@code .dq8} file: an architecture name, free-form
 * provenance (who trained it, on what, with which options; insertion order kept) and a chain of
 * layers, each feeding the next. Version 1 knows one architecture, {@link #GCN}: a stack of
 * {@link GcnLayer}s whose last layer's outputs are the class logits.
 */
public final class QuantizedModel {
  public static final String GCN = "gcn";
  public static final int MAX_LAYERS = 1024;

  private final String architecture;
  private final Map<String, String> provenance;
  private final List<GcnLayer> layers;

  public QuantizedModel(String architecture, Map<String, String> provenance, List<GcnLayer> layers) {
    if (!GCN.equals(architecture)) {
      throw new DqInputException("unknown model architecture '" + architecture + "' (v1 knows '"
          + GCN + "')");
    }
    if (layers == null || layers.isEmpty() || layers.size() > MAX_LAYERS) {
      throw new DqInputException("a model needs 1 to " + MAX_LAYERS + " layers, got "
          + (layers == null ? "none" : layers.size()));
    }
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
      GcnLayer.check("layer " + i + " input", l.inputMultiplier(),
          (double) prev.params(GcnSite.OUTPUT).scale() / l.params(GcnSite.INPUT).scale());
    }
    Map<String, String> p = new LinkedHashMap<>();
    if (provenance != null) {
      for (Map.Entry<String, String> e : provenance.entrySet()) {
        if (e.getKey() == null || e.getKey().isEmpty() || e.getValue() == null) {
          throw new DqInputException("provenance keys must be non-empty and values non-null, got "
              + e.getKey() + "=" + e.getValue());
        }
        p.put(e.getKey(), e.getValue());
      }
    }
    this.architecture = architecture;
    this.provenance = Collections.unmodifiableMap(p);
    this.layers = List.copyOf(layers);
  }

  public String architecture() { return architecture; }
  public Map<String, String> provenance() { return provenance; }
  public List<GcnLayer> layers() { return layers; }
  public int inputWidth() { return layers.get(0).nIn(); }
  public int classes() { return layers.get(layers.size() - 1).nOut(); }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof QuantizedModel)) {
      return false;
    }
    QuantizedModel m = (QuantizedModel) o;
    // provenance compared with its order: the file keeps it
    return architecture.equals(m.architecture) && layers.equals(m.layers)
        && List.copyOf(provenance.entrySet()).equals(List.copyOf(m.provenance.entrySet()));
  }

  @Override
  public int hashCode() {
    return Objects.hash(architecture, provenance, layers);
  }

  @Override
  public String toString() {
    return "QuantizedModel(" + architecture + ", " + layers.size() + " layers, " + provenance + ")";
  }
}
