package io.dqspark.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
    String json = cora().toJson().replace("\"format_version\" : " + ModelManifest.FORMAT_VERSION,
        "\"format_version\" : " + (ModelManifest.FORMAT_VERSION + 1));
    DqInputException e = assertThrows(DqInputException.class, () -> ModelManifest.fromJson(json, "model.json"));
    assertTrue(e.getMessage().contains("format_version " + (ModelManifest.FORMAT_VERSION + 1)), e.getMessage());
  }

  @Test
  void versionOneManifestWithoutFeatureScaleStillReads() {
    String json = cora().toJson().replace("\"format_version\" : " + ModelManifest.FORMAT_VERSION,
        "\"format_version\" : 1");
    ModelManifest m = ModelManifest.fromJson(json, "model.json");
    assertEquals(1, m.formatVersion);
    assertEquals(null, m.featureScale);
  }

  @Test
  void featureScaleRoundTripsAndIsChecked() {
    ModelManifest proteins = cora();
    proteins.task = "graph";
    proteins.featureDim = 3;
    proteins.featureScale = new double[] {798.0, 1.0, 0.0};
    ModelManifest back = ModelManifest.fromJson(proteins.toJson(), "model.json");
    assertArrayEquals(new double[] {798.0, 1.0, 0.0}, back.featureScale);
    proteins.featureScale = new double[] {798.0, 1.0};
    DqInputException wrongLength = assertThrows(DqInputException.class,
        () -> ModelManifest.fromJson(proteins.toJson(), "p/model.json"));
    assertTrue(wrongLength.getMessage().contains("feature_scale has 2 entries but feature_dim is 3"),
        wrongLength.getMessage());
    proteins.featureScale = new double[] {798.0, -1.0, 0.0};
    DqInputException negative = assertThrows(DqInputException.class,
        () -> ModelManifest.fromJson(proteins.toJson(), "p/model.json"));
    assertTrue(negative.getMessage().contains("feature_scale[1] must be finite and >= 0, was -1.0"),
        negative.getMessage());
  }

  @Test
  void badTaskIsNamed() {
    String json = cora().toJson().replace("\"node\"", "\"edge\"");
    DqInputException e = assertThrows(DqInputException.class, () -> ModelManifest.fromJson(json, "model.json"));
    assertTrue(e.getMessage().contains("task must be node or graph, was edge"), e.getMessage());
  }
}
