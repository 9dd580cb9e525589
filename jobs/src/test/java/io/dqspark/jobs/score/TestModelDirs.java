package io.dqspark.jobs.score;

import io.dqspark.model.ModelManifest;
import io.dqspark.model.ModelWriter;
import io.dqspark.model.QuantizedModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

/** Model directories for the scoring tests, laid out as the train job publishes them. */
final class TestModelDirs {
  private TestModelDirs() {}

  /** The manifest of a DQ INT8 model published as {@code NAME/v1}. */
  static ModelManifest dqInt8(String name, String task, String arch, QuantizedModel model) {
    ModelManifest m = new ModelManifest();
    m.name = name;
    m.version = 1;
    m.task = task;
    m.arch = arch;
    m.precision = "int8";
    m.method = "dq";
    m.classes = model.classes();
    m.featureDim = model.inputWidth();
    m.files.put("quantized", ModelManifest.QUANTIZED);
    return m;
  }

  /** Writes {@code root/NAME/vN} with the model, its manifest and {@code _SUCCESS}. */
  static Path write(Path root, ModelManifest m, QuantizedModel model) {
    return write(root, m, model, null);
  }

  /** As {@link #write(Path, ModelManifest, QuantizedModel)}, with the FP32 network when not null. */
  static Path write(Path root, ModelManifest m, QuantizedModel model, ComputationGraph network) {
    try {
      Path dir = Files.createDirectories(root.resolve(m.name).resolve("v" + m.version));
      ModelWriter.write(model, dir.resolve(ModelManifest.QUANTIZED));
      if (network != null) {
        ModelSerializer.writeModel(network, dir.resolve(ModelManifest.NETWORK).toFile(), false);
        m.files.put("network", ModelManifest.NETWORK);
      }
      Files.writeString(dir.resolve(ModelManifest.FILE), m.toJson(), StandardCharsets.UTF_8);
      Files.writeString(dir.resolve(ModelManifest.SUCCESS), "");
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
