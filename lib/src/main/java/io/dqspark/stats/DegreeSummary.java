package io.dqspark.stats;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dqspark.util.DqInputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * The {@code stats.json} summary. It is derived only from the exact count of nodes per in-degree
 * (a small table even for huge graphs), so the Spark job and the in-JVM path produce the same
 * JSON from the same counts. Quantiles are nearest-rank: the smallest degree d whose cumulative
 * share of nodes reaches q.
 */
public record DegreeSummary(
    long nodes,
    long edges,
    long graphs,
    int minDegree,
    int maxDegree,
    double meanDegree,
    Map<String, Integer> quantiles,
    List<Bucket> histogram,
    Range maskProb,
    double pLow,
    double pHigh,
    boolean perGraph) {

  /** Quantiles reported in stats.json. */
  public static final double[] QUANTILES = {0.25, 0.5, 0.75, 0.9, 0.99, 0.999};

  /** A histogram bucket of in-degrees [lo, hi] (powers of two above 0). */
  public record Bucket(int lo, int hi, long count) {}

  /** Minimum, maximum and mean of a column. */
  public record Range(double min, double max, double mean) {}

  public static DegreeSummary of(SortedMap<Integer, Long> nodesPerDegree, long edges, long graphs,
      ProtectionRule rule, boolean perGraph, Range maskProb) {
    long n = 0;
    long degreeSum = 0;
    for (Map.Entry<Integer, Long> d : nodesPerDegree.entrySet()) {
      n += d.getValue();
      degreeSum += d.getKey() * d.getValue();
    }
    Map<String, Integer> quantiles = new LinkedHashMap<>();
    for (double q : QUANTILES) {
      long rank = Math.max(1, (long) Math.ceil(q * n));
      long cumulative = 0;
      for (Map.Entry<Integer, Long> d : nodesPerDegree.entrySet()) {
        cumulative += d.getValue();
        if (cumulative >= rank) {
          quantiles.put(Double.toString(q), d.getKey());
          break;
        }
      }
    }
    // Buckets [0,0], [1,1], [2,3], [4,7], ...: in-degrees are heavy-tailed.
    List<Bucket> histogram = new ArrayList<>();
    int maxDegree = nodesPerDegree.lastKey();
    long lo = 0;
    long hi = 0;
    while (lo <= maxDegree) {
      long count = nodesPerDegree.subMap((int) lo, (int) Math.min(hi + 1, Integer.MAX_VALUE)).values()
          .stream().mapToLong(Long::longValue).sum();
      histogram.add(new Bucket((int) lo, (int) Math.min(hi, Integer.MAX_VALUE), count));
      lo = hi + 1;
      hi = 2 * lo - 1;
    }
    return new DegreeSummary(n, edges, graphs, nodesPerDegree.firstKey(), maxDegree,
        (double) degreeSum / n, quantiles, histogram, maskProb, rule.pLow(), rule.pHigh(), perGraph);
  }

  /** The summary as pretty-printed JSON with stable key order. */
  public String toJson() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("nodes", nodes);
    root.put("edges", edges);
    root.put("graphs", graphs);
    root.put("scope", perGraph ? "per_graph" : "whole_graph");
    root.put("p_low", pLow);
    root.put("p_high", pHigh);
    Map<String, Object> degree = new LinkedHashMap<>();
    degree.put("min", minDegree);
    degree.put("max", maxDegree);
    degree.put("mean", meanDegree);
    degree.put("quantiles", quantiles);
    degree.put("histogram", histogram);
    root.put("in_degree", degree);
    root.put("mask_prob", maskProb);
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write stats.json", e);
    }
  }

  /** Reads what {@link #toJson} wrote; {@code source} names the file in errors. */
  public static DegreeSummary fromJson(String json, String source) {
    try {
      JsonNode root = new ObjectMapper().readTree(json);
      JsonNode degree = need(root, "in_degree", source);
      Map<String, Integer> quantiles = new LinkedHashMap<>();
      need(degree, "quantiles", source).fields().forEachRemaining(e -> quantiles.put(e.getKey(), e.getValue().asInt()));
      List<Bucket> histogram = new ArrayList<>();
      for (JsonNode b : need(degree, "histogram", source)) {
        histogram.add(new Bucket(b.get("lo").asInt(), b.get("hi").asInt(), b.get("count").asLong()));
      }
      JsonNode mask = need(root, "mask_prob", source);
      return new DegreeSummary(need(root, "nodes", source).asLong(), need(root, "edges", source).asLong(),
          need(root, "graphs", source).asLong(), need(degree, "min", source).asInt(), need(degree, "max", source).asInt(),
          need(degree, "mean", source).asDouble(), quantiles, histogram,
          new Range(need(mask, "min", source).asDouble(), need(mask, "max", source).asDouble(), need(mask, "mean", source).asDouble()),
          need(root, "p_low", source).asDouble(), need(root, "p_high", source).asDouble(),
          "per_graph".equals(need(root, "scope", source).asText()));
    } catch (JsonProcessingException e) {
      throw new DqInputException(source + ": not a stats.json summary: " + e.getOriginalMessage(), e);
    }
  }

  private static JsonNode need(JsonNode node, String key, String source) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      throw new DqInputException(source + ": stats.json lacks '" + key + "'");
    }
    return v;
  }
}
