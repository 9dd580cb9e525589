package io.dqspark.model;

import io.dqspark.quant.QuantParams;
import io.dqspark.util.DqInputException;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A GIN model, node or graph task: a chain of {@link GinLayer}s; for {@link ModelTask#GRAPH} then a
 * pooling {@link GraphReadout} and one or more {@link DenseLayer}s; an {@link OutputHead} last.
 * {@code readout} is required for the graph task and null for the node task, which also takes no
 * dense layers ({@code denseLayers} may be given as null for none). The constructor checks that the
 * pieces fit: widths, and every multiplier that spans two pieces against both one's scales.
 */
public record GinModel(ModelTask task, Map<String, String> provenance, List<GinLayer> layers,
    GraphReadout readout, List<DenseLayer> denseLayers, OutputHead head) implements QuantizedModel {
  public GinModel {
    Objects.requireNonNull(task, "task");
    ModelChecks.checkCount(layers);
    denseLayers = denseLayers == null ? List.of() : denseLayers;
    if (task == ModelTask.GRAPH && readout == null) {
      throw new DqInputException("a graph-level GIN model needs a pooling readout");
    }
    if (task == ModelTask.GRAPH && denseLayers.isEmpty()) {
      throw new DqInputException("a graph-level GIN model needs a dense layer after the pooling"
          + " (its input quantizer turns the pooled sums into codes)");
    }
    if (task == ModelTask.NODE && (readout != null || !denseLayers.isEmpty())) {
      throw new DqInputException("a node-level GIN model has no pooling readout or dense layers");
    }
    if (denseLayers.size() > MAX_LAYERS) {
      throw new DqInputException("at most " + MAX_LAYERS + " dense layers, got " + denseLayers.size());
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
    for (int i = 0; i < denseLayers.size(); i++) {
      DenseLayer d = Objects.requireNonNull(denseLayers.get(i), "dense layer");
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
    provenance = ModelChecks.provenance(provenance);
    layers = List.copyOf(layers);
    denseLayers = List.copyOf(denseLayers);
  }

  @Override public String architecture() { return GIN; }
  @Override public int layerCount() { return layers.size(); }
  @Override public int inputWidth() { return layers.get(0).nIn(); }
  @Override public int classes() { return head.classes(); }

  @Override
  public GinModel withProvenance(String key, String value) {
    return new GinModel(task, ModelChecks.with(provenance, key, value), layers, readout, denseLayers,
        head);
  }

  /** {@link Arithmetic#FAST}: it met the agreement bar at INT8 and INT4 (design §5.6). */
  @Override
  public Arithmetic architectureRule() {
    return Arithmetic.FAST;
  }

  @Override public IntegerGin scorer() { return new IntegerGin(this); }
  @Override public IntegerGin scorer(Arithmetic arithmetic) { return new IntegerGin(this, arithmetic); }

  @Override
  public boolean equals(Object o) {
    return o instanceof GinModel m && task == m.task && layers.equals(m.layers)
        && Objects.equals(readout, m.readout) && denseLayers.equals(m.denseLayers)
        && head.equals(m.head) && ModelChecks.sameProvenance(provenance, m.provenance);
  }

  @Override
  public int hashCode() {
    return Objects.hash(task, provenance, layers, readout, denseLayers, head);
  }

  @Override
  public String toString() {
    return ModelChecks.describe(this, (readout != null ? ", " + readout : "") + ", " + head);
  }
}
