package io.dqspark.loaders;

/**
 * Walks the numbers of one text line, separated by a comma and/or white space ({@code "1, 2"},
 * {@code "1,2"}, {@code "1 2"}). TU files have hundreds of thousands of such lines, so this
 * avoids regex and {@code String.split}. Problems are thrown as {@link IllegalArgumentException}
 * whose message the caller prefixes with the file and line.
 */
final class NumberCursor {
  private String line = "";
  private int pos;
  private boolean first;

  NumberCursor reset(String text) {
    line = text;
    pos = 0;
    first = true;
    return this;
  }

  /** True when only white space is left. */
  boolean atEnd() {
    skipSpace();
    return pos == line.length();
  }

  long nextLong() {
    int start = startToken();
    int end = tokenEnd(start);
    int i = start;
    boolean negative = false;
    if (i < end && (line.charAt(i) == '-' || line.charAt(i) == '+')) {
      negative = line.charAt(i) == '-';
      i++;
    }
    if (i == end) {
      throw notA("an integer", start, end);
    }
    long value = 0;
    for (; i < end; i++) {
      char c = line.charAt(i);
      if (c < '0' || c > '9') {
        throw notA("an integer", start, end);
      }
      if (value > (Long.MAX_VALUE - (c - '0')) / 10) {
        throw new IllegalArgumentException("integer out of range: '" + line.substring(start, end) + "'");
      }
      value = value * 10 + (c - '0');
    }
    pos = end;
    return negative ? -value : value;
  }

  int nextInt() {
    int start = pos;
    long value = nextLong();
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("integer out of range: '" + line.substring(start, pos).trim() + "'");
    }
    return (int) value;
  }

  float nextFloat() {
    int start = startToken();
    int end = tokenEnd(start);
    if (start == end) {
      throw notA("a number", start, end);
    }
    try {
      float value = Float.parseFloat(line.substring(start, end));
      pos = end;
      return value;
    } catch (NumberFormatException e) {
      throw notA("a number", start, end);
    }
  }

  /** Consumes the separator before every value but the first and returns where the value starts. */
  private int startToken() {
    int before = pos;
    skipSpace();
    if (!first) {
      boolean separated = pos > before;
      if (pos < line.length() && line.charAt(pos) == ',') {
        pos++;
        separated = true;
        skipSpace();
      }
      if (!separated) {
        throw new IllegalArgumentException("expected a comma or space after a value in '" + shown() + "'");
      }
    }
    first = false;
    if (pos == line.length()) {
      throw new IllegalArgumentException("missing value in '" + shown() + "'");
    }
    return pos;
  }

  private int tokenEnd(int start) {
    int i = start;
    while (i < line.length() && line.charAt(i) != ',' && !Character.isWhitespace(line.charAt(i))) {
      i++;
    }
    return i;
  }

  private void skipSpace() {
    while (pos < line.length() && Character.isWhitespace(line.charAt(pos))) {
      pos++;
    }
  }

  private IllegalArgumentException notA(String what, int start, int end) {
    String token = start == end ? "" : line.substring(start, end);
    return new IllegalArgumentException("expected " + what + ", got '" + token + "' in '" + shown() + "'");
  }

  private String shown() {
    return line.length() <= 80 ? line : line.substring(0, 77) + "...";
  }
}
