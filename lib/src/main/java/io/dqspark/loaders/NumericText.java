package io.dqspark.loaders;

import io.dqspark.util.DqInputException;
import io.dqspark.util.HadoopFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.Arrays;
import org.apache.hadoop.fs.Path;

/**
 * Reads the numeric text files of the TU format: one row per line, comma and/or space separated.
 * In these files the line number <em>is</em> the id (line i describes node or graph i), so a
 * blank line inside a file would silently shift every later row; only trailing blank lines are
 * accepted. Row r therefore always sits at line r + 1, which error messages rely on.
 */
final class NumericText {
  /** Integer rows, row-major. */
  record Ints(Path file, int rows, int cols, int[] values) {
    int get(int row, int col) {
      return values[row * cols + col];
    }
  }

  /** Float rows, row-major; never NaN or infinite. */
  record Floats(Path file, int rows, int cols, float[] values) {}

  private NumericText() {}

  /**
   * @param cols values per line, or 0 to take the count from the first line (every line must
   *     then have the same count)
   */
  static Ints readInts(HadoopFiles files, Path file, int cols, String what) {
    int[] values = new int[1 << 12];
    int n = 0;
    int width = cols;
    int rows = 0;
    NumberCursor cursor = new NumberCursor();
    try (BufferedReader in = files.openText(file, what)) {
      Lines lines = new Lines(file);
      String line;
      while ((line = in.readLine()) != null) {
        if (!lines.accept(line)) {
          continue;
        }
        cursor.reset(line);
        int count = 0;
        try {
          while (width == 0 ? !cursor.atEnd() : count < width) {
            if (n == values.length) {
              values = Arrays.copyOf(values, LongArrayBuilder.grow(values.length));
            }
            values[n++] = cursor.nextInt();
            count++;
          }
          if (!cursor.atEnd()) {
            throw new IllegalArgumentException("expected " + width + " value(s), got more in '" + line + "'");
          }
        } catch (IllegalArgumentException e) {
          throw DqInputException.atLine(file.toString(), lines.number, e.getMessage());
        }
        if (width == 0) {
          width = count;
        }
        rows++;
      }
    } catch (IOException e) {
      throw new DqInputException(what + ": cannot read " + file + ": " + e.getMessage(), e);
    }
    return new Ints(file, rows, width, Arrays.copyOf(values, n));
  }

  /** Reads rows of finite floats; the width is set by the first line. */
  static Floats readFloats(HadoopFiles files, Path file, String what) {
    float[] values = new float[1 << 12];
    int n = 0;
    int width = 0;
    int rows = 0;
    NumberCursor cursor = new NumberCursor();
    try (BufferedReader in = files.openText(file, what)) {
      Lines lines = new Lines(file);
      String line;
      while ((line = in.readLine()) != null) {
        if (!lines.accept(line)) {
          continue;
        }
        cursor.reset(line);
        int count = 0;
        try {
          while (!cursor.atEnd()) {
            float v = cursor.nextFloat();
            if (!Float.isFinite(v)) {
              throw new IllegalArgumentException("value " + (count + 1) + " is " + v + " (must be finite)");
            }
            if (n == values.length) {
              values = Arrays.copyOf(values, LongArrayBuilder.grow(values.length));
            }
            values[n++] = v;
            count++;
          }
          if (rows > 0 && count != width) {
            throw new IllegalArgumentException(count + " values, but line 1 has " + width);
          }
        } catch (IllegalArgumentException e) {
          throw DqInputException.atLine(file.toString(), lines.number, e.getMessage());
        }
        width = rows == 0 ? count : width;
        rows++;
      }
    } catch (IOException e) {
      throw new DqInputException(what + ": cannot read " + file + ": " + e.getMessage(), e);
    }
    return new Floats(file, rows, width, Arrays.copyOf(values, n));
  }

  /** Counts lines and enforces "blank lines only at the end". */
  private static final class Lines {
    private final Path file;
    long number;
    private long firstBlank;

    Lines(Path file) {
      this.file = file;
    }

    /** @return true when the line holds a row */
    boolean accept(String line) {
      number++;
      if (line.isBlank()) {
        if (firstBlank == 0) {
          firstBlank = number;
        }
        return false;
      }
      if (firstBlank != 0) {
        throw DqInputException.atLine(file.toString(), firstBlank,
            "blank line before line " + number + " (each line stands for one node or graph, so rows would shift)");
      }
      return true;
    }
  }
}
