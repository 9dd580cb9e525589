package io.dqspark.loaders;

import java.util.Arrays;

/**
 * A row order for tables that arrive in partition order: null when the rows are already sorted
 * (the common case, which then costs one pass and no boxing).
 */
final class Order {
  private Order() {}

  /** The permutation sorting rows by (a, b), or null when they are already sorted. */
  static int[] byTwoKeys(long[] a, long[] b) {
    boolean sorted = true;
    for (int i = 1; i < a.length && sorted; i++) {
      sorted = a[i - 1] < a[i] || (a[i - 1] == a[i] && b[i - 1] <= b[i]);
    }
    if (sorted) {
      return null;
    }
    Integer[] boxed = new Integer[a.length];
    for (int i = 0; i < boxed.length; i++) {
      boxed[i] = i;
    }
    Arrays.sort(boxed, (x, y) -> a[x] != a[y] ? Long.compare(a[x], a[y]) : Long.compare(b[x], b[y]));
    return Arrays.stream(boxed).mapToInt(Integer::intValue).toArray();
  }

  static long[] apply(long[] values, int[] order) {
    if (order == null) {
      return values;
    }
    long[] out = new long[values.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = values[order[i]];
    }
    return out;
  }

  static int[] apply(int[] values, int[] order) {
    if (order == null) {
      return values;
    }
    int[] out = new int[values.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = values[order[i]];
    }
    return out;
  }

  static <T> T[] apply(T[] values, int[] order) {
    if (order == null) {
      return values;
    }
    T[] out = values.clone();
    for (int i = 0; i < out.length; i++) {
      out[i] = values[order[i]];
    }
    return out;
  }
}
