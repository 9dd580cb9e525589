package io.dqspark.loaders;

import io.dqspark.util.DqInputException;
import java.util.Arrays;

/**
 * Splits one line of Spark-written CSV on commas. Quoted fields may hold commas and escape a
 * quote as {@code \"} (Spark's default) or {@code ""} (RFC 4180); whether a field was quoted is
 * kept because Spark writes null as an unquoted empty field and "" as a quoted one.
 */
final class CsvLine {
  final String file;
  long number;
  String[] fields = new String[8];
  boolean[] quoted = new boolean[8];
  int count;

  CsvLine(String file, long number) {
    this.file = file;
    this.number = number;
  }

  void reset(long lineNumber) {
    number = lineNumber;
  }

  void split(String line) {
    count = 0;
    int i = 0;
    int n = line.length();
    while (true) {
      if (i < n && line.charAt(i) == '"') {
        StringBuilder value = new StringBuilder();
        i++;
        while (true) {
          if (i >= n) {
            throw DqInputException.atLine(file, number, "unterminated quoted field " + (count + 1));
          }
          char ch = line.charAt(i);
          if (ch == '\\' && i + 1 < n) {
            value.append(line.charAt(i + 1));
            i += 2;
          } else if (ch == '"' && i + 1 < n && line.charAt(i + 1) == '"') {
            value.append('"');
            i += 2;
          } else if (ch == '"') {
            i++;
            break;
          } else {
            value.append(ch);
            i++;
          }
        }
        if (i < n && line.charAt(i) != ',') {
          throw DqInputException.atLine(file, number, "text after the closing quote of field " + (count + 1));
        }
        add(value.toString(), true);
      } else {
        int end = line.indexOf(',', i);
        end = end < 0 ? n : end;
        add(line.substring(i, end), false);
        i = end;
      }
      if (i >= n) {
        return;
      }
      i++; // the comma
    }
  }

  private void add(String value, boolean wasQuoted) {
    if (count == fields.length) {
      fields = Arrays.copyOf(fields, count * 2);
      quoted = Arrays.copyOf(quoted, count * 2);
    }
    fields[count] = value;
    quoted[count] = wasQuoted;
    count++;
  }
}
