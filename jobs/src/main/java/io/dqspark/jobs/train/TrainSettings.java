package io.dqspark.jobs.train;

import io.dqspark.util.DqInputException;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The settings of a train or retrain run: a {@code conf/*.conf} file of {@code key = value} lines
 * (Java properties syntax: {@code #} comments), then command-line overrides. Every key is declared
 * once in {@link #KEYS} with its documentation; an unknown key is an error naming the nearest
 * declared one. An empty value means the key's default.
 */
public final class TrainSettings {
  /** Declared keys and what each means (the conf files repeat these as comments). */
  public static final Map<String, String> KEYS = declare(
      "name", "model name: models are published as OUT/NAME/vN (default: the dataset's name)",
      "input", "raw dataset folder (Planetoid or TU): the driver evaluates on it and prepares shards from it",
      "shards", "partition job output to train on (empty: ingest, stats and partition run from input first)",
      "parts", "parts when the shards are prepared here (default 2; workers may not exceed it)",
      "arch", "gcn, gat (one big graph) or gin (graph-level data; default gcn / gin by the data)",
      "precision", "fp32, int8 or int4",
      "method", "qat (moving-average ranges) or dq (Degree-Quant); ignored for fp32",
      "epochs", "training epochs (one big graph: full-batch steps per part)",
      "learning_rate", "Adam learning rate",
      "lr_step_epochs", "halve the learning rate every this many epochs (0: constant)",
      "weight_decay", "L2 penalty as PyTorch's Adam applies it to a mean loss",
      "dropout", "dropout probability",
      "hidden", "hidden width",
      "layers", "graph layers (gin)",
      "batch_size", "graphs per mini-batch (graph-level data)",
      "seed", "seed of initialisation, masks, shuffles and dropout",
      "row_normalize", "divide each feature row by its sum (Planetoid's usual preprocessing)",
      "fold", "graph-level data: cross-validation fold whose train/validation/test split is used",
      "splits", "graph-level data: folds file (empty: NAME_splits.json beside the TU folder, else stratified)",
      "p_low", "Degree-Quant protection probability floor (empty: 0 for int8, 0.1 for int4)",
      "p_high", "Degree-Quant protection probability ceiling (empty: 0.1 for int8, 0.2 for int4)",
      "workers", "Spark partitions trained at once, one per worker",
      "averaging_frequency", "worker steps between two parameter averaging rounds",
      "promote_tolerance", "retrain: promote when the challenger's validation accuracy is at least"
          + " the champion's minus this",
      "rmat_scale", "bin/dq pipeline only: generate an R-MAT graph of 2^rmat_scale nodes (Graph500"
          + " a=0.57 b=0.19 c=0.19) into the run folder and train on it instead of input (empty: none)",
      "rmat_edge_factor", "with rmat_scale: generated edges per node, before cleaning (default 8)",
      "rmat_features", "with rmat_scale: seeded uniform [0, 1) features per node (default 16)",
      "rmat_classes", "with rmat_scale: label classes; a node's label is the argmax of its first"
          + " rmat_classes features, nodes split 60/20/20 by a hash of the id (default 4)",
      "generator", "bin/dq pipeline only: sbm (a degree-corrected stochastic block model, the keys below) or"
          + " rmat (the rmat_* keys) generated into the run folder and trained on instead of input"
          + " (empty: rmat when rmat_scale is set, else none)",
      "nodes", "with generator = sbm: nodes",
      "average_degree", "with generator = sbm: expected degree after symmetrisation (default 16)",
      "classes", "with generator = sbm: communities, which are the labels (default 8)",
      "mixing", "with generator = sbm: mu, the share of a node's edges leaving its community (default 0.3)",
      "feature_width", "with generator = sbm: features per node, a +1/-1 class mean plus noise (default 16)",
      "noise", "with generator = sbm: standard deviation of the features' Gaussian noise (default 5)",
      "degree_exponent", "with generator = sbm: power-law exponent of the expected degrees (default 2.5)");

  private final Map<String, String> values = new TreeMap<>();
  private final Map<String, String> origin = new LinkedHashMap<>();

  /** Reads a conf file; {@code source} names it in errors. */
  public static TrainSettings parse(String text, String source) {
    Properties p = new Properties();
    try (Reader r = new StringReader(text)) {
      p.load(r);
    } catch (IOException | IllegalArgumentException e) {
      throw new DqInputException(source + ": not a key = value file: " + e.getMessage(), e);
    }
    TrainSettings s = new TrainSettings();
    for (String key : new TreeMap<>(p).keySet().stream().map(Object::toString).toList()) {
      s.set(key, p.getProperty(key), source);
    }
    return s;
  }

  public static TrainSettings read(Path file) {
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    } catch (IOException e) {
      throw new DqInputException("--conf " + file + ": cannot read: " + e.getMessage(), e);
    }
  }

  /** Sets {@code key} (an override when already set); {@code source} names where it came from. */
  public TrainSettings set(String key, String value, String source) {
    String k = key.trim();
    if (!KEYS.containsKey(k)) {
      throw new DqInputException(source + ": unknown key '" + k + "'; did you mean '" + nearest(k) + "'?");
    }
    values.put(k, value == null ? "" : value.trim());
    origin.put(k, source);
    return this;
  }

  public boolean has(String key) {
    check(key);
    return values.containsKey(key) && !values.get(key).isEmpty();
  }

  public String string(String key, String fallback) {
    return has(key) ? values.get(key) : fallback;
  }

  public int integer(String key, int fallback) {
    if (!has(key)) {
      return fallback;
    }
    try {
      return Integer.parseInt(values.get(key));
    } catch (NumberFormatException e) {
      throw bad(key, "a whole number");
    }
  }

  public double number(String key, double fallback) {
    if (!has(key)) {
      return fallback;
    }
    try {
      return Double.parseDouble(values.get(key));
    } catch (NumberFormatException e) {
      throw bad(key, "a number");
    }
  }

  public boolean bool(String key, boolean fallback) {
    if (!has(key)) {
      return fallback;
    }
    String v = values.get(key).toLowerCase(Locale.ROOT);
    if (!v.equals("true") && !v.equals("false")) {
      throw bad(key, "true or false");
    }
    return v.equals("true");
  }

  /** The effective settings (for provenance), keys sorted. */
  public Map<String, String> asMap() {
    return new TreeMap<>(values);
  }

  private DqInputException bad(String key, String expected) {
    return new DqInputException(origin.get(key) + ": " + key + " = '" + values.get(key)
        + "' is not " + expected);
  }

  private static void check(String key) {
    if (!KEYS.containsKey(key)) {
      throw new IllegalArgumentException("undeclared setting " + key);
    }
  }

  /** The declared key closest to {@code key} by edit distance. */
  static String nearest(String key) {
    return KEYS.keySet().stream()
        .min(Comparator.comparingInt((String k) -> distance(key.toLowerCase(Locale.ROOT), k))
            .thenComparing(Comparator.naturalOrder()))
        .orElseThrow();
  }

  /** Levenshtein distance. */
  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  private static Map<String, String> declare(String... pairs) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(pairs[i], pairs[i + 1]);
    }
    return java.util.Collections.unmodifiableMap(m);
  }
}
