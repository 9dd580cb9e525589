package io.dqspark.jobs.pipeline.report;

import io.dqspark.stats.DegreeSummary;
import java.util.ArrayList;
import java.util.List;

/**
 * What one pipeline run measured, gathered stage by stage; a section whose stage did not run
 * stays empty and is left out of the report rather than shown with made-up numbers.
 */
public final class RunReport {
  /** Test accuracy of one precision/method; {@code source} says which run produced it. */
  public record Accuracy(String precision, String method, double testAccuracyPercent, String source) {
    public String label() {
      return "fp32".equals(method) ? "FP32" : precision.toUpperCase() + " " + method.toUpperCase();
    }
  }

  /** Seconds to score the same graph with each engine (best of several repetitions). */
  public record ScoringTime(String engine, double seconds) {}

  /** Bytes of one serialised form of the trained model. */
  public record ModelSize(String form, long bytes) {}

  /** A stage's wall time and peak heap of the JVM that ran it (-1: not measured). */
  public record StageTime(String stage, double seconds, long peakHeapBytes) {}

  private final String title;
  private DegreeSummary degrees;
  private final List<Accuracy> accuracy = new ArrayList<>();
  private final List<ScoringTime> scoring = new ArrayList<>();
  private final List<ModelSize> sizes = new ArrayList<>();
  private final List<StageTime> stages = new ArrayList<>();
  private final List<String> facts = new ArrayList<>();

  public RunReport(String title) {
    this.title = title;
  }

  public String title() { return title; }
  public DegreeSummary degrees() { return degrees; }
  public List<Accuracy> accuracy() { return accuracy; }
  public List<ScoringTime> scoring() { return scoring; }
  public List<ModelSize> sizes() { return sizes; }
  public List<StageTime> stages() { return stages; }
  public List<String> facts() { return facts; }

  public RunReport degrees(DegreeSummary summary) {
    this.degrees = summary;
    return this;
  }

  public RunReport stage(String stage, double seconds) {
    return stage(stage, seconds, -1);
  }

  public RunReport stage(String stage, double seconds, long peakHeapBytes) {
    stages.add(new StageTime(stage, seconds, peakHeapBytes));
    return this;
  }

  public RunReport fact(String line) {
    facts.add(line);
    return this;
  }
}
