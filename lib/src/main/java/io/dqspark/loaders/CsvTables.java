package io.dqspark.loaders;

import io.dqspark.util.DqInputException;
import io.dqspark.util.HadoopFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.apache.hadoop.fs.Path;

/**
 * Reads a canonical table written by Spark as CSV with a header ({@code part-*.csv}). Columns are
 * found by header name, so extra columns are ignored. An unquoted empty field is null (Spark's
 * default {@code nullValue}); array columns hold their values joined by {@code ;}.
 */
final class CsvTables {
  private CsvTables() {}

  static void scan(HadoopFiles files, Path dir, TableRow.Columns columns, Consumer<TableRow> sink) {
    String what = "canonical " + columns.table() + " table";
    List<Path> parts = PartFiles.list(files, dir, n -> n.startsWith("part-") && n.endsWith(".csv"), what);
    if (parts.isEmpty()) {
      throw new DqInputException(what + ": no part-*.csv files in " + dir);
    }
    for (Path part : parts) {
      try (BufferedReader in = files.openText(part, what)) {
        String header = in.readLine();
        if (header == null) {
          continue; // Spark writes an empty file for an empty partition
        }
        CsvLine head = new CsvLine(part.toString(), 1);
        head.split(header);
        Row row = new Row(part.toString(), head, columns);
        String line;
        long number = 1;
        while ((line = in.readLine()) != null) {
          number++;
          row.line.reset(number);
          row.line.split(line);
          if (row.line.count != head.count) {
            throw DqInputException.atLine(part.toString(), number,
                row.line.count + " fields, but the header has " + head.count);
          }
          sink.accept(row);
        }
      } catch (IOException e) {
        throw new DqInputException(what + ": cannot read " + part + ": " + e.getMessage(), e);
      }
    }
  }

  /** A CSV row viewed through the requested columns. */
  private static final class Row implements TableRow {
    final CsvLine line;
    private final TableRow.Columns columns;
    private final int[] field;

    Row(String file, CsvLine header, TableRow.Columns columns) {
      this.line = new CsvLine(file, 1);
      this.columns = columns;
      this.field = new int[columns.names().length];
      List<String> names = Arrays.asList(Arrays.copyOf(header.fields, header.count));
      for (int c = 0; c < field.length; c++) {
        field[c] = names.indexOf(columns.names()[c]);
        if (field[c] < 0 && columns.required()[c]) {
          throw DqInputException.atLine(file, 1, "no column '" + columns.names()[c] + "' in the header " + names);
        }
      }
    }

    @Override public boolean isNull(int c) {
      return field[c] < 0 || (line.fields[field[c]].isEmpty() && !line.quoted[field[c]]);
    }

    private String value(int c) {
      if (isNull(c)) {
        throw error(c, "null where a value is required");
      }
      return line.fields[field[c]];
    }

    @Override public long getLong(int c) {
      String v = value(c);
      try {
        return Long.parseLong(v);
      } catch (NumberFormatException e) {
        throw error(c, "'" + v + "' is not an integer");
      }
    }

    @Override public int getInt(int c) {
      String v = value(c);
      try {
        return Integer.parseInt(v);
      } catch (NumberFormatException e) {
        throw error(c, "'" + v + "' is not an int");
      }
    }

    @Override public String getString(int c) {
      return value(c);
    }

    @Override public float[] getFloats(int c) {
      if (isNull(c) || line.fields[field[c]].isEmpty()) {
        return new float[0];
      }
      String v = line.fields[field[c]];
      int n = 1;
      for (int i = 0; i < v.length(); i++) {
        n += v.charAt(i) == ';' ? 1 : 0;
      }
      float[] out = new float[n];
      int start = 0;
      for (int k = 0; k < n; k++) {
        int end = v.indexOf(';', start);
        end = end < 0 ? v.length() : end;
        String item = v.substring(start, end);
        try {
          out[k] = Float.parseFloat(item);
        } catch (NumberFormatException e) {
          throw error(c, "value " + (k + 1) + " '" + item + "' is not a number");
        }
        start = end + 1;
      }
      return out;
    }

    @Override public String where() {
      return line.file + ":" + line.number;
    }

    @Override public String columnName(int c) {
      return columns.names()[c];
    }
  }
}
