package io.dqspark.jobs.pipeline;

import io.dqspark.jobs.DqCli;
import io.dqspark.jobs.common.HeapPeak;
import io.dqspark.jobs.ingest.IngestJob;
import io.dqspark.jobs.partition.PartitionJob;
import io.dqspark.jobs.stats.StatsJob;
import io.dqspark.util.DqInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import picocli.CommandLine.Command;

/**
 * ingest -> stats -> partition into {@code DIR/ingested}, {@code DIR/stats}, {@code DIR/parts},
 * each through its own command line, so that the pipeline and the train job (which prepares its
 * own shards when none are given) run exactly what the stage jobs do.
 */
public final class ShardStages {
  private ShardStages() {}

  /**
   * @param name dataset name (null: from the path)
   * @param onStage receives each stage's name, wall seconds and peak heap
   */
  public static void run(String input, String name, double pLow, double pHigh, int parts, String dir,
      boolean overwrite, StageLog log, BiConsumer<String, StageRun> onStage) {
    run(input, List.of(), name, pLow, pHigh, parts, dir, overwrite, log, onStage);
  }

  /** As above, with the ingest job's {@code --input-format} (null: auto). */
  public static void run(String input, String inputFormat, String name, double pLow, double pHigh, int parts,
      String dir, boolean overwrite, StageLog log, BiConsumer<String, StageRun> onStage) {
    run(input, inputFormat == null ? List.of() : List.of("--input-format", inputFormat), name, pLow, pHigh, parts,
        dir, overwrite, log, onStage);
  }

  /** As above, with any ingest options ({@code --input-format}, {@code --keep-self-loops}, ...). */
  public static void run(String input, List<String> ingestOptions, String name, double pLow, double pHigh,
      int parts, String dir, boolean overwrite, StageLog log, BiConsumer<String, StageRun> onStage) {
    List<String> in = new ArrayList<>(List.of("--input", input));
    in.addAll(ingestOptions);
    if (name != null) {
      in.addAll(List.of("--name", name));
    }
    in.addAll(List.of("--out", dir + "/ingested"));
    onStage.accept("ingest", stage(log, new IngestJob(), in, overwrite));
    onStage.accept("stats", stage(log, new StatsJob(), List.of("--input", dir + "/ingested", "--p-low", "" + pLow,
        "--p-high", "" + pHigh, "--out", dir + "/stats"), overwrite));
    onStage.accept("partition", stage(log, new PartitionJob(), List.of("--input", dir + "/stats",
        "--parts", "" + parts, "--out", dir + "/parts"), overwrite));
  }

  /** Where progress lines go; numbering is the caller's. */
  public interface StageLog {
    void started(String stage, List<String> args);

    void finished(String stage, double seconds);

    /** Lines "PREFIX: stage args" and "PREFIX: stage done in S s" to {@code out}. */
    static StageLog lines(String prefix, java.util.function.Consumer<String> out) {
      return new StageLog() {
        @Override
        public void started(String stage, List<String> args) {
          out.accept(prefix + ": " + stage + " " + String.join(" ", args));
        }

        @Override
        public void finished(String stage, double seconds) {
          out.accept(String.format("%s: %s done in %.1f s", prefix, stage, seconds));
        }
      };
    }
  }

  /** One stage's wall time and the most heap this JVM used meanwhile ({@link HeapPeak}). */
  public record StageRun(double seconds, long peakHeapBytes) {}

  /** Runs one stage job through its command line; returns its wall time and peak heap. */
  public static StageRun stage(StageLog log, Object job, List<String> args, boolean overwrite) {
    String stageName = job.getClass().getAnnotation(Command.class).name();
    List<String> all = new ArrayList<>(args);
    if (overwrite) {
      all.add("--overwrite");
    }
    log.started(stageName, all);
    HeapPeak.reset();
    long start = System.nanoTime();
    int code = DqCli.commandLine(job).execute(all.toArray(new String[0]));
    if (code != 0) {
      throw new DqInputException("stage " + stageName + " failed (exit code " + code + "); later stages not run");
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    log.finished(stageName, seconds);
    return new StageRun(seconds, HeapPeak.bytes());
  }
}
