package io.dqspark.jobs.bench;

import java.util.Arrays;

/** Wall times of one engine: warm-up runs (discarded), then repetitions; best and median kept. */
record Timing(double bestSeconds, double medianSeconds, int repetitions) {
  static Timing measure(Runnable run, int warmups, int repetitions) {
    for (int i = 0; i < warmups; i++) {
      run.run();
    }
    double[] s = new double[repetitions];
    for (int i = 0; i < repetitions; i++) {
      long t0 = System.nanoTime();
      run.run();
      s[i] = (System.nanoTime() - t0) / 1e9;
    }
    Arrays.sort(s);
    double median = repetitions % 2 == 1 ? s[repetitions / 2]
        : (s[repetitions / 2 - 1] + s[repetitions / 2]) / 2;
    return new Timing(s[0], median, repetitions);
  }
}
