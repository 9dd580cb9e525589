package io.dqspark.model;

import io.dqspark.util.DqInputException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What every {@link QuantizedModel} checks and keeps alike: the layer count and the provenance. */
final class ModelChecks {
  private ModelChecks() {}

  static void checkCount(List<?> layers) {
    if (layers == null || layers.isEmpty() || layers.size() > QuantizedModel.MAX_LAYERS) {
      throw new DqInputException("a model needs 1 to " + QuantizedModel.MAX_LAYERS + " layers, got "
          + (layers == null ? "none" : layers.size()));
    }
  }

  /** An unmodifiable copy in the same order; keys non-empty, values non-null. */
  static Map<String, String> provenance(Map<String, String> provenance) {
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
    return Collections.unmodifiableMap(p);
  }

  /** {@code provenance} with {@code key} set to {@code value} (appended, or replaced in place). */
  static Map<String, String> with(Map<String, String> provenance, String key, String value) {
    Map<String, String> p = new LinkedHashMap<>(provenance);
    p.put(key, value);
    return p;
  }

  /** Equal entries in the same order: the file keeps the order, so equal models give equal files. */
  static boolean sameProvenance(Map<String, String> a, Map<String, String> b) {
    return List.copyOf(a.entrySet()).equals(List.copyOf(b.entrySet()));
  }

  /** The common {@code toString} of the models, {@code extra} (may be empty) after the layer count. */
  static String describe(QuantizedModel m, String extra) {
    return "QuantizedModel(" + m.architecture() + ", " + m.task() + ", " + m.layerCount() + " layers"
        + extra + ", " + m.provenance() + ")";
  }
}
