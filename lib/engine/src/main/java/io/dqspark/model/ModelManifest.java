package io.dqspark.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dqspark.util.DqInputException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code model.json} of a model directory (design §3): what a scorer needs to know before it opens
 * the tensors, and where the model came from. The directory holds this file, {@link #QUANTIZED}
 * (the integer model), {@link #NETWORK} (the FP32 DL4J checkpoint with its quantizer ranges, for
 * warm starts and fake-quant comparisons), {@code metrics.json}, and {@code _SUCCESS} written last.
 * Directories are versioned {@code ROOT/NAME/vN/}; readers refuse one without {@code _SUCCESS}.
 *
 * <p>Unknown fields are kept out by the reader (a newer writer must bump {@link #FORMAT_VERSION}),
 * so a typo in a hand-edited manifest is an error rather than a silently ignored key.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class ModelManifest {
  public static final String FILE = "model.json";
  public static final String QUANTIZED = "model.dq8";
  public static final String NETWORK = "network.zip";
  public static final String METRICS = "metrics.json";
  public static final String SUCCESS = "_SUCCESS";
  public static final String FORMAT = "dq-model-dir";
  /** 2 added {@code feature_scale}; version 1 directories still read (without it). */
  public static final int FORMAT_VERSION = 2;

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  @JsonProperty("format") public String format = FORMAT;
  @JsonProperty("format_version") public int formatVersion = FORMAT_VERSION;
  /** Model name: the {@code NAME} of {@code ROOT/NAME/vN}. */
  @JsonProperty("name") public String name;
  @JsonProperty("version") public int version;
  /** {@code node} or {@code graph}. */
  @JsonProperty("task") public String task;
  /** {@code gcn}, {@code gat} or {@code gin}. */
  @JsonProperty("arch") public String arch;
  /** {@code fp32}, {@code int8} or {@code int4}. */
  @JsonProperty("precision") public String precision;
  /** {@code fp32}, {@code qat} or {@code dq}. */
  @JsonProperty("method") public String method;
  @JsonProperty("classes") public int classes;
  @JsonProperty("feature_dim") public int featureDim;
  /**
   * Graph-level models: the divisor of each feature column that training applied (the largest
   * absolute value of the column over the training dataset, see {@code FeatureScaling}; 0 marks a
   * column that was all zeros and is fed as 0). Scorers divide raw features by it so the model sees
   * what it was trained on. Absent: features are used as given (after {@code row_normalize}).
   */
  @JsonProperty("feature_scale") public double[] featureScale;
  /** Files of the directory by role ({@code quantized}, {@code network}); absent roles were not written. */
  @JsonProperty("files") public Map<String, String> files = new LinkedHashMap<>();
  /** Headline metrics (test/validation accuracy ...); the full record is {@link #METRICS}. */
  @JsonProperty("metrics") public Map<String, Object> metrics = new LinkedHashMap<>();
  /** Data, config and code the model came from (paths, checksums, git commit, times). */
  @JsonProperty("provenance") public Map<String, Object> provenance = new LinkedHashMap<>();

  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + FILE, e);
    }
  }

  /** Parses and checks a manifest; {@code source} names the file in errors. */
  public static ModelManifest fromJson(String json, String source) {
    ModelManifest m;
    try {
      m = JSON.readValue(json, ModelManifest.class);
    } catch (IOException e) {
      throw new DqInputException(source + ": not a model manifest: " + e.getMessage(), e);
    }
    if (!FORMAT.equals(m.format)) {
      throw new DqInputException(source + ": format is '" + m.format + "', expected '" + FORMAT + "'");
    }
    if (m.formatVersion < 1 || m.formatVersion > FORMAT_VERSION) {
      throw new DqInputException(source + ": format_version " + m.formatVersion
          + " is not supported (this reader knows 1.." + FORMAT_VERSION + ")");
    }
    require(m.name != null && !m.name.isEmpty(), source, "name is missing");
    require(m.version >= 1, source, "version must be >= 1, was " + m.version);
    require("node".equals(m.task) || "graph".equals(m.task), source, "task must be node or graph, was " + m.task);
    require(m.arch != null, source, "arch is missing");
    require(m.classes >= 2, source, "classes must be >= 2, was " + m.classes);
    require(m.featureDim >= 1, source, "feature_dim must be >= 1, was " + m.featureDim);
    if (m.featureScale != null) {
      require(m.featureScale.length == m.featureDim, source, "feature_scale has " + m.featureScale.length
          + " entries but feature_dim is " + m.featureDim);
      for (int k = 0; k < m.featureScale.length; k++) {
        double d = m.featureScale[k];
        require(Double.isFinite(d) && d >= 0, source, "feature_scale[" + k + "] must be finite and >= 0, was " + d);
      }
    }
    return m;
  }

  private static void require(boolean ok, String source, String message) {
    if (!ok) {
      throw new DqInputException(source + ": " + message);
    }
  }
}
