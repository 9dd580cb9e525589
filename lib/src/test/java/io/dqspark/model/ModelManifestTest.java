package io.dqspark.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dqspark.util.DqInputException;
import org.junit.jupiter.api.Test;

class ModelManifestTest {
  private static ModelManifest cora() {
    ModelManifest m = new ModelManifest();
    m.name = "cora";
    m.version = 3;
    m.task = "node";
    m.arch = "gcn";
    m.precision = "int8";
    m.method = "dq";
    m.classes = 7;
    m.featureDim = 1433;
    m.files.put("quantized", ModelManifest.QUANTIZED);
    m.metrics.put("test_accuracy", 0.815);
    m.provenance.put("git_commit", "abc123");
    return m;
  }

  @Test
  void roundTripKeepsEveryField() {
    ModelManifest back = ModelManifest.fromJson(cora().toJson(), "model.json");
    assertEquals(cora().toJson(), back.toJson());
    assertEquals(1433, back.featureDim);
    assertEquals(0.815, back.metrics.get("test_accuracy"));
  }

  @Test
  void unknownKeyIsNamed() {
    String json = cora().toJson().replace("\"classes\"", "\"clases\"");
    DqInputException e = assertThrows(DqInputException.class, () -> ModelManifest.fromJson(json, "m/model.json"));
    assertTrue(e.getMessage().contains("m/model.json") && e.getMessage().contains("clases"), e.getMessage());
  }

  @Test
  void newerFormatVersionIsRefused() {
    String json = cora().toJson().replace("\"format_version\" : 1", "\"format_version\" : 2");
    DqInputException e = assertThrows(DqInputException.class, () -> ModelManifest.fromJson(json, "model.json"));
    assertTrue(e.getMessage().contains("format_version 2"), e.getMessage());
  }

  @Test
  void badTaskIsNamed() {
    String json = cora().toJson().replace("\"node\"", "\"edge\"");
    DqInputException e = assertThrows(DqInputException.class, () -> ModelManifest.fromJson(json, "model.json"));
    assertTrue(e.getMessage().contains("task must be node or graph, was edge"), e.getMessage());
  }
}
