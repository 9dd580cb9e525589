package io.dqspark.loaders;

import java.util.Arrays;

/** A growable {@code int[]} for label columns, so that rows are not boxed. */
final class IntArrayBuilder {
  private int[] values = new int[1 << 10];
  private int size;

  void add(int value) {
    if (size == values.length) {
      values = Arrays.copyOf(values, LongArrayBuilder.grow(values.length));
    }
    values[size++] = value;
  }

  int size() {
    return size;
  }

  int[] toArray() {
    return Arrays.copyOf(values, size);
  }
}
