package io.dqspark.train;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.Set;

/**
 * The architectures and variants of a reproduction: every precision x method pair, with FP32
 * listed once whatever the methods (it has none).
 */
public record Grid(List<Architecture> archs, List<Variant> variants) {

  /** One training run of a grid cell; {@code index} is the seed or the fold. */
  @FunctionalInterface
  public interface CellRun {
    RunResult run(Architecture arch, Variant variant, int index);
  }

  /**
   * Trains every cell {@code runs} times and summarises each cell in a row, in grid order;
   * {@code progress} gets one line per finished run ({@code runName} says "seed" or "fold").
   */
  public List<ResultRow> run(String dataset, int runs, String runName, CellRun cell,
      Consumer<String> progress) {
    List<ResultRow> rows = new ArrayList<>();
    for (Architecture arch : archs) {
      for (Variant variant : variants) {
        List<RunResult> results = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
          RunResult r = cell.run(arch, variant, i);
          results.add(r);
          progress.accept(String.format(Locale.ROOT,
              "%s %s %s %s %d: test %.1f%% (best epoch %d of %d, %.3f s/epoch)", dataset,
              arch.label(), variant, runName, i, 100 * r.testAccuracy(), r.bestEpoch(), r.epochs(),
              r.secondsPerEpoch()));
        }
        rows.add(ResultRow.of(dataset, arch, variant, results));
      }
    }
    return rows;
  }

  public static Grid of(List<String> archs, List<String> precisions, List<String> methods) {
    if (archs.isEmpty() || precisions.isEmpty()) {
      throw new IllegalArgumentException("--arch and --precision need at least one value");
    }
    List<Architecture> a = new ArrayList<>();
    for (String s : archs) {
      a.add(Architecture.parse(s));
    }
    Set<Variant> v = new LinkedHashSet<>();
    for (String p : precisions) {
      if (p.trim().equalsIgnoreCase("fp32")) {
        v.add(Variant.FP32);
        continue;
      }
      if (methods.isEmpty()) {
        throw new IllegalArgumentException("precision " + p + " needs --method qat and/or dq");
      }
      for (String m : methods) {
        v.add(Variant.of(p, m));
      }
    }
    return new Grid(List.copyOf(new LinkedHashSet<>(a)), List.copyOf(v));
  }
}
