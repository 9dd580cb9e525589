package io.dqspark.loaders;

import io.dqspark.util.DqInputException;

/**
 * One row of a canonical table, seen through the columns a reader asked for (by position in
 * its request), whatever the file format. Getters throw {@link DqInputException}s that say
 * where the row is and which column is wrong.
 */
interface TableRow {
  /** True for a null value and for an optional column the file lacks. */
  boolean isNull(int column);

  long getLong(int column);

  int getInt(int column);

  String getString(int column);

  /** An {@code array<float>} value; null reads as zero-width. */
  float[] getFloats(int column);

  /** {@code file:line} for text, {@code file: row n} for Parquet. */
  String where();

  String columnName(int column);

  default DqInputException error(int column, String problem) {
    return new DqInputException(where() + ": column '" + columnName(column) + "': " + problem);
  }

  /** The column layout a reader asks for: names in request order, and which must exist. */
  record Columns(String table, String[] names, boolean[] required) {}
}
