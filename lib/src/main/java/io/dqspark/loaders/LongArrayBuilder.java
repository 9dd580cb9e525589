package io.dqspark.loaders;

import java.util.Arrays;

/** A growable {@code long[]}: loaders collect millions of ids without boxing them. */
final class LongArrayBuilder {
  private long[] values;
  private int size;

  LongArrayBuilder(int capacity) {
    values = new long[Math.max(16, capacity)];
  }

  void add(long value) {
    if (size == values.length) {
      values = Arrays.copyOf(values, grow(values.length));
    }
    values[size++] = value;
  }

  int size() {
    return size;
  }

  long get(int i) {
    return values[i];
  }

  long[] toArray() {
    return Arrays.copyOf(values, size);
  }

  /** Grows by half, capped below the JVM's array limit. */
  static int grow(int length) {
    int next = length + (length >> 1) + 1;
    if (next < 0 || next > Integer.MAX_VALUE - 8) {
      if (length >= Integer.MAX_VALUE - 8) {
        throw new IllegalStateException("more than " + length + " values do not fit in one array");
      }
      return Integer.MAX_VALUE - 8;
    }
    return next;
  }
}
