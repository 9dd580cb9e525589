package io.dqspark.model;

import io.dqspark.quant.QuantParams;
import io.dqspark.util.DqInputException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An integer-only model as stored in a {@code .dq8} file: an architecture, a task, free-form
 * provenance (insertion order kept) and the layers.
 * <ul>
 *   <li>{@link #GCN} (node task): a chain of {@link GcnLayer}s whose last outputs are the logits.
 *   <li>{@link #GIN}: a chain of {@link GinLayer}s; for the graph task then a {@link
 *       GraphReadout} and zero or more {@link DenseLayer}s; always an {@link OutputHead} last.
 *   <li>{@link #GAT} (node task): a chain of {@link GatLayer}s whose last outputs are the logits.
 * </ul>
 * The constructor, {@link #gin} and {@link #gat} check that the pieces fit together (widths, and every
 * multiplier that spans two layers against both layers' scales).
 */
public final class QuantizedModel {
  public static final String GCN = "gcn";
  public static final String GIN = "gin";
  public static final String GAT = "gat";
  public static final int MAX_LAYERS = 1024;
  public static final int MAX_CLASSES = 65535;

  private final String architecture;
  private final ModelTask task;
  private final Map<String, String> provenance;
  private final List<GcnLayer> layers;
  private final List<GinLayer> ginLayers;
  private final List<GatLayer> gatLayers;
  private final GraphReadout readout;
  private final List<DenseLayer> denseLayers;
  private final OutputHead head;

  /** A GCN node classifier (the only model format version 1 knows). */
  public QuantizedModel(String architecture, Map<String, String> provenance, List<GcnLayer> layers) {
    if (!GCN.equals(architecture)) {
      throw new DqInputException("unknown model architecture '" + architecture + "' for GCN layers"
          + " (expected '" + GCN + "'; GIN models are built with QuantizedModel.gin)");
    }
    checkCount(layers);
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
    this.architecture = architecture;
    this.task = ModelTask.NODE;
    this.provenance = provenance(provenance);
    this.layers = List.copyOf(layers);
    this.ginLayers = List.of();
    this.gatLayers = List.of();
    this.readout = null;
    this.denseLayers = List.of();
    this.head = null;
  }

  private QuantizedModel(Map<String, String> provenance, List<GatLayer> gat) {
    this.architecture = GAT;
    this.task = ModelTask.NODE;
    this.provenance = provenance(provenance);
    this.layers = List.of();
    this.ginLayers = List.of();
    this.gatLayers = List.copyOf(gat);
    this.readout = null;
    this.denseLayers = List.of();
    this.head = null;
  }

  /** A GAT node classifier: a chain of layers, each one's input as wide as the previous output. */
  public static QuantizedModel gat(Map<String, String> provenance, List<GatLayer> layers) {
    checkCount(layers);
    for (int i = 0; i < layers.size(); i++) {
      GatLayer l = Objects.requireNonNull(layers.get(i), "GAT layer");
      if (i > 0 && l.nIn() != layers.get(i - 1).nOut()) {
        throw new DqInputException("GAT layer " + i + " has nIn " + l.nIn() + " but layer " + (i - 1)
            + " outputs " + layers.get(i - 1).nOut());
      }
    }
    return new QuantizedModel(provenance, layers);
  }

  private QuantizedModel(ModelTask task, Map<String, String> provenance, List<GinLayer> gin,
      GraphReadout readout, List<DenseLayer> dense, OutputHead head) {
    this.architecture = GIN;
    this.task = task;
    this.provenance = provenance(provenance);
    this.layers = List.of();
    this.ginLayers = List.copyOf(gin);
    this.gatLayers = List.of();
    this.readout = readout;
    this.denseLayers = List.copyOf(dense);
    this.head = head;
  }

  /**
   * A GIN model. {@code readout} is required for {@link ModelTask#GRAPH} and must be null for
   * {@link ModelTask#NODE}, which also takes no dense layers.
   */
  public static QuantizedModel gin(ModelTask task, Map<String, String> provenance,
      List<GinLayer> layers, GraphReadout readout, List<DenseLayer> dense, OutputHead head) {
    Objects.requireNonNull(task, "task");
    checkCount(layers);
    dense = dense == null ? List.of() : dense;
    if (task == ModelTask.GRAPH && readout == null) {
      throw new DqInputException("a graph-level GIN model needs a pooling readout");
    }
    if (task == ModelTask.GRAPH && dense.isEmpty()) {
      throw new DqInputException("a graph-level GIN model needs a dense layer after the pooling"
          + " (its input quantizer turns the pooled sums into codes)");
    }
    if (task == ModelTask.NODE && (readout != null || !dense.isEmpty())) {
      throw new DqInputException("a node-level GIN model has no pooling readout or dense layers");
    }
    if (dense.size() > MAX_LAYERS) {
      throw new DqInputException("at most " + MAX_LAYERS + " dense layers, got " + dense.size());
    }
    if (head == null) {
      throw new DqInputException("a GIN model needs an output head");
    }
    QuantParams previous = null;
    int width = 0;
    for (int i = 0; i < layers.size(); i++) {
      GinLayer l = Objects.requireNonNull(layers.get(i), "GIN layer");
      if (i > 0 && l.nIn() != width) {
        throw new DqInputException("GIN layer " + i + " has nIn " + l.nIn() + " but layer " + (i - 1)
            + " outputs " + width);
      }
      l.checkPosition("GIN layer " + i, previous);
      previous = l.params(GinSite.OUTPUT);
      width = l.hidden();
    }
    double feederScale = previous.scale();
    if (readout != null) {
      feederScale = Math.scalb(feederScale, -readout.fractionBits());
    }
    for (int i = 0; i < dense.size(); i++) {
      DenseLayer d = Objects.requireNonNull(dense.get(i), "dense layer");
      if (d.nIn() != width) {
        throw new DqInputException("dense layer " + i + " has nIn " + d.nIn() + " but its input is "
            + width + " wide");
      }
      d.checkInput("dense layer " + i, feederScale);
      feederScale = d.params(DenseSite.OUTPUT).scale();
      width = d.nOut();
    }
    if (head.nIn() != width) {
      throw new DqInputException("output head has nIn " + head.nIn() + " but its input is " + width
          + " wide");
    }
    return new QuantizedModel(task, provenance, layers, readout, dense, head);
  }

  /** This model with one more provenance entry (or {@code key} replaced): the layers are shared. */
  public QuantizedModel withProvenance(String key, String value) {
    Map<String, String> p = new LinkedHashMap<>(provenance);
    p.put(key, value);
    if (GCN.equals(architecture)) {
      return new QuantizedModel(GCN, p, layers);
    }
    if (GAT.equals(architecture)) {
      return new QuantizedModel(p, gatLayers);
    }
    return new QuantizedModel(task, p, ginLayers, readout, denseLayers, head);
  }

  private static void checkCount(List<?> layers) {
    if (layers == null || layers.isEmpty() || layers.size() > MAX_LAYERS) {
      throw new DqInputException("a model needs 1 to " + MAX_LAYERS + " layers, got "
          + (layers == null ? "none" : layers.size()));
    }
  }

  private static Map<String, String> provenance(Map<String, String> provenance) {
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

  public String architecture() { return architecture; }
  public ModelTask task() { return task; }
  public Map<String, String> provenance() { return provenance; }
  /** The GCN layers (empty for other architectures). */
  public List<GcnLayer> layers() { return layers; }
  /** The GIN layers (empty for other architectures). */
  public List<GinLayer> ginLayers() { return ginLayers; }
  /** The GAT layers (empty for other architectures). */
  public List<GatLayer> gatLayers() { return gatLayers; }
  /** The pooling of a graph-level model, else null. */
  public GraphReadout readout() { return readout; }
  /** Dense layers between the pooling and the head (graph-level GIN only). */
  public List<DenseLayer> denseLayers() { return denseLayers; }
  /** The final linear map of a GIN model; null for GCN, whose last layer gives the logits. */
  public OutputHead head() { return head; }

  /** Number of message-passing layers (the file's layer count). */
  int graphLayerCount() {
    switch (architecture) {
      case GIN: return ginLayers.size();
      case GAT: return gatLayers.size();
      default: return layers.size();
    }
  }

  public int inputWidth() {
    switch (architecture) {
      case GIN: return ginLayers.get(0).nIn();
      case GAT: return gatLayers.get(0).nIn();
      default: return layers.get(0).nIn();
    }
  }

  public int classes() {
    if (head != null) {
      return head.classes();
    }
    return GAT.equals(architecture) ? gatLayers.get(gatLayers.size() - 1).nOut()
        : layers.get(layers.size() - 1).nOut();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof QuantizedModel)) {
      return false;
    }
    QuantizedModel m = (QuantizedModel) o;
    // provenance compared with its order: the file keeps it
    return architecture.equals(m.architecture) && task == m.task && layers.equals(m.layers)
        && ginLayers.equals(m.ginLayers) && gatLayers.equals(m.gatLayers) && Objects.equals(readout, m.readout)
        && denseLayers.equals(m.denseLayers) && Objects.equals(head, m.head)
        && List.copyOf(provenance.entrySet()).equals(List.copyOf(m.provenance.entrySet()));
  }

  @Override
  public int hashCode() {
    return Objects.hash(architecture, task, provenance, layers, ginLayers, gatLayers, readout, denseLayers, head);
  }

  @Override
  public String toString() {
    return "QuantizedModel(" + architecture + ", " + task + ", " + graphLayerCount() + " layers"
        + (readout != null ? ", " + readout : "") + (head != null ? ", " + head : "") + ", "
        + provenance + ")";
  }
}
