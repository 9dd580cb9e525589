package io.dqspark.jobs.score;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stages of one scoring run as Spark measured them ({@link ScoringStages}), summed into what
 * {@code scores.json} reports: seconds per layer, and the bytes shuffled into each layer (layer
 * 0's input rows, then every layer's output rows; on-disk bytes of Spark's shuffle files, after its
 * compression), so the two engines' exchanges compare directly.
 */
public record ScoringMetrics(List<Stage> stages) {
  /** One completed stage: its label (a named RDD of the scorer, or "other"), wall time, shuffle bytes. */
  public record Stage(int id, String label, double seconds, long shuffleWriteBytes, long shuffleReadBytes) {}

  public double seconds(String label) {
    return stages.stream().filter(s -> s.label().equals(label)).mapToDouble(Stage::seconds).sum();
  }

  public long shuffleWriteBytes(String label) {
    return stages.stream().filter(s -> s.label().equals(label)).mapToLong(Stage::shuffleWriteBytes).sum();
  }

  /** Every stage's shuffle writes: input features, part graph construction and the exchanges. */
  public long allShuffleWriteBytes() {
    return stages.stream().mapToLong(Stage::shuffleWriteBytes).sum();
  }

  /** Layers that ran: one more than the highest layer label seen. */
  public int layers() {
    int n = 0;
    while (seen(ScoringStages.layer(n))) {
      n++;
    }
    return n;
  }

  private boolean seen(String label) {
    return stages.stream().anyMatch(s -> s.label().equals(label));
  }

  /** Seconds of each layer's stage (reading its rows, the pass, writing the rows it sends). */
  public List<Double> layerSeconds() {
    List<Double> out = new ArrayList<>();
    for (int li = 0; li < layers(); li++) {
      out.add(seconds(ScoringStages.layer(li)));
    }
    return out;
  }

  /** Bytes shuffled into each layer: layer 0's input rows, then layer {@code i - 1}'s output rows. */
  public List<Long> layerShuffleBytes() {
    List<Long> out = new ArrayList<>();
    for (int li = 0; li < layers(); li++) {
      out.add(shuffleWriteBytes(li == 0 ? ScoringStages.INPUT : ScoringStages.layer(li - 1)));
    }
    return out;
  }

  /** Bytes shuffled between layers: the sum of {@link #layerShuffleBytes}. */
  public long betweenLayersShuffleBytes() {
    return layerShuffleBytes().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * Summed stage seconds by label (without the prefix): where a run's time went. Stages of one job
   * can overlap, so these may add up to more than the wall time.
   */
  public Map<String, Double> secondsByLabel() {
    Map<String, Double> out = new java.util.TreeMap<>();
    for (Stage s : stages) {
      out.merge(s.label().startsWith(ScoringStages.PREFIX) ? s.label().substring(ScoringStages.PREFIX.length())
          : s.label(), s.seconds(), Double::sum);
    }
    return out;
  }

  /** The {@code scores.json} fields. */
  public Map<String, Object> report() {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("layer_seconds", layerSeconds());
    r.put("input_stage_s", seconds(ScoringStages.INPUT));
    r.put("shuffle_bytes", betweenLayersShuffleBytes());
    r.put("layer_shuffle_bytes", layerShuffleBytes());
    r.put("shuffle_bytes_all_stages", allShuffleWriteBytes());
    r.put("stage_seconds", secondsByLabel());
    return r;
  }

  /** The engine's wall time, seconds per layer and bytes between layers, in one line. */
  public String summary(ScoringEngine engine, double wallSeconds) {
    StringBuilder layers = new StringBuilder();
    List<Double> seconds = layerSeconds();
    List<Long> bytes = layerShuffleBytes();
    for (int li = 0; li < seconds.size(); li++) {
      layers.append(String.format("%s%d: %.2f s, %s in", li == 0 ? "" : "; ", li, seconds.get(li),
          megabytes(bytes.get(li))));
    }
    return String.format("engine %s: wall %.2f s; layers %s; %s shuffled between layers (%s in all stages)",
        engine.label(), wallSeconds, layers, megabytes(betweenLayersShuffleBytes()),
        megabytes(allShuffleWriteBytes()));
  }

  private static String megabytes(long bytes) {
    return String.format("%.3f MB", bytes / 1e6);
  }
}
