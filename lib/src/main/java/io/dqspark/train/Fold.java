package io.dqspark.train;

import java.util.Arrays;
import java.util.Objects;

/**
 * One cross-validation fold: graph indices (rows of the graphs table) to train on, to select a
 * model with, and to test on. The record keeps sorted copies and hands out its own arrays, so
 * callers must not modify them. Equality compares contents.
 */
public record Fold(int[] train, int[] validation, int[] test) {
  /** Keeps sorted copies of the three arrays. */
  public Fold {
    train = sorted(train, "train");
    validation = sorted(validation, "validation");
    test = sorted(test, "test");
  }

  private static int[] sorted(int[] indices, String what) {
    int[] copy = Objects.requireNonNull(indices, what).clone();
    Arrays.sort(copy);
    return copy;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Fold f && Arrays.equals(train, f.train)
        && Arrays.equals(validation, f.validation) && Arrays.equals(test, f.test);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(train), Arrays.hashCode(validation), Arrays.hashCode(test));
  }

  @Override
  public String toString() {
    return "Fold(train " + train.length + ", validation " + validation.length + ", test "
        + test.length + ")";
  }
}
