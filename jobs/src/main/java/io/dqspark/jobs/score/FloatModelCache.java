package io.dqspark.jobs.score;

import io.dqspark.export.FloatGcnExporter;
import io.dqspark.export.GatExporter;
import io.dqspark.export.GinExporter;
import io.dqspark.model.LayerwiseScorer;
import io.dqspark.model.ModelManifest;
import io.dqspark.model.QuantizedModel;
import io.dqspark.util.DqInputException;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.util.CollectionAccumulator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

/**
 * The FP32 engines of this JVM, one per {@link ModelRef}: the model directory's DL4J checkpoint
 * ({@code network.zip}, the float weights training ended with) is read once, turned into an FP32
 * engine by the exporters and dropped; tasks share the engine after that, as {@link ModelCache}
 * shares the integer ones. Loads are reported to the same accumulator.
 */
final class FloatModelCache {
  private static final ConcurrentHashMap<ModelRef, PartEngine> ENGINES = new ConcurrentHashMap<>();

  private FloatModelCache() {}

  static PartEngine get(ModelRef ref, CollectionAccumulator<String> loads) {
    return ENGINES.computeIfAbsent(ref, r -> {
      PartEngine e = load(r);
      if (loads != null) {
        loads.add(ModelCache.executorId());
      }
      return e;
    });
  }

  private static PartEngine load(ModelRef ref) {
    if (!"node".equals(ref.task())) {
      throw FloatPartEngines.unsupported(ref);
    }
    ComputationGraph net = read(new Path(ref.dir(), ModelManifest.NETWORK));
    return FloatPartEngines.of(floatEngine(ref, net));
  }

  /**
   * The FP32 engine of the network, by the manifest's architecture name: the DL4J network carries
   * no model type, so here, as in the model file's reader, a name picks the exporter.
   */
  private static LayerwiseScorer<float[]> floatEngine(ModelRef ref, ComputationGraph net) {
    return switch (ref.arch()) {
      case QuantizedModel.GCN -> FloatGcnExporter.export(net);
      case QuantizedModel.GAT -> GatExporter.floatModel(net);
      case QuantizedModel.GIN -> GinExporter.floatModel(net);
      default -> throw FloatPartEngines.unsupported(ref);
    };
  }

  private static ComputationGraph read(Path file) {
    try {
      FileSystem fs = file.getFileSystem(new Configuration());
      if (!fs.exists(file)) {
        throw new DqInputException("--engine fp32 needs the model's FP32 network " + file
            + ", which the model directory lacks (it holds the integer model only; use --engine int8)");
      }
      try (InputStream in = fs.open(file)) {
        return ModelSerializer.restoreComputationGraph(in, false);
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof DqInputException dq) {
        throw dq;
      }
      throw new DqInputException("cannot read the FP32 network " + file + ": " + e.getMessage(), e);
    }
  }
}
