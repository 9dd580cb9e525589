package io.dqspark.jobs.score;

import io.dqspark.model.IntegerGcn;
import io.dqspark.model.QuantizedModel;

/** A model read and prepared for scoring once per executor JVM; thread-safe. */
public record LoadedModel(ModelRef ref, QuantizedModel model, IntegerGcn gcn) {
  public static LoadedModel of(ModelRef ref, QuantizedModel model) {
    return new LoadedModel(ref, model, QuantizedModel.GCN.equals(model.architecture())
        ? new IntegerGcn(model) : null);
  }

  public IntegerGcn requireGcn() {
    if (gcn == null) {
      throw new io.dqspark.util.DqInputException(ref + " is not a GCN model");
    }
    return gcn;
  }
}
