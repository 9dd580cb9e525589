package io.dqspark.jobs.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Wall times of one engine: warm-up runs (discarded), then repetitions; best and median kept. */
record Timing(double bestSeconds, double medianSeconds, int repetitions) {
  static Timing measure(Runnable run, int warmups, int repetitions) {
    return measureInterleaved(List.of(run), warmups, repetitions).get(0);
  }

  /**
   * Every engine warmed up, then timed in turns (A B C, A B C, ...): on a shared machine whose
   * speed drifts over seconds, each engine then sees the same conditions, so their ratio holds
   * even when the absolute times move.
   */
  static List<Timing> measureInterleaved(List<Runnable> runs, int warmups, int repetitions) {
    for (Runnable run : runs) {
      for (int i = 0; i < warmups; i++) {
        run.run();
      }
    }
    double[][] s = new double[runs.size()][repetitions];
    for (int i = 0; i < repetitions; i++) {
      for (int e = 0; e < runs.size(); e++) {
        long t0 = System.nanoTime();
        runs.get(e).run();
        s[e][i] = (System.nanoTime() - t0) / 1e9;
      }
    }
    List<Timing> out = new ArrayList<>();
    for (double[] t : s) {
      Arrays.sort(t);
      double median = repetitions % 2 == 1 ? t[repetitions / 2]
          : (t[repetitions / 2 - 1] + t[repetitions / 2]) / 2;
      out.add(new Timing(t[0], median, repetitions));
    }
    return out;
  }
}
