package io.dqspark.jobs.score;

import io.dqspark.model.QuantizedModel;
import org.apache.spark.util.CollectionAccumulator;

/** What the driver needs to know of a GCN model before planning the layer passes. */
final class QuantizedGcn {
  private QuantizedGcn() {}

  static boolean isGcn(ModelRef ref) {
    return QuantizedModel.GCN.equals(ref.arch());
  }

  /**
   * The number of layers, read on the driver through the same cache (the driver is a JVM like
   * any other: in local mode it is also the executor, so this is that JVM's one load).
   */
  static int layers(ModelRef ref, CollectionAccumulator<String> loads) {
    return ModelCache.get(ref, loads).model().layers().size();
  }
}
