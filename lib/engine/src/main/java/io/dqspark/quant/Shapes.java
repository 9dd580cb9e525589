package io.dqspark.quant;

/** Shape checks shared by the row-masked operations. */
final class Shapes {
  private Shapes() {}

  /** Rows of the row-major tensor {@code x} with {@code cols} columns, checking the mask length. */
  static int rows(float[] x, int cols, boolean[] protectedRows) {
    if (cols <= 0 || x.length % cols != 0) {
      throw new IllegalArgumentException(x.length + " elements do not form rows of " + cols + " columns");
    }
    int rows = x.length / cols;
    if (protectedRows != null && protectedRows.length != rows) {
      throw new IllegalArgumentException("row mask has " + protectedRows.length + " entries for "
          + rows + " rows");
    }
    return rows;
  }
}
