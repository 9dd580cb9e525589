package io.dqspark.loaders;

/**
 * The line rules of plain edge lists (SNAP style), shared by the single-JVM loader and the
 * parallel Spark ingest so that both accept exactly the same files.
 *
 * <ul>
 *   <li>blank lines and lines starting with {@code #} or {@code %} are comments;</li>
 *   <li>an edge line is two non-negative integer ids separated by white space or a comma;
 *       anything else is an error;</li>
 *   <li>the first non-comment line may be a {@code nodes edges} header. Two numbers cannot say
 *       by themselves whether they are a header or an edge, so {@link #isHeader} decides from
 *       the whole file: it is a header exactly when the file has {@code edges} further edge
 *       lines and every id is below {@code nodes}.</li>
 * </ul>
 */
public final class EdgeListFormat {
  private EdgeListFormat() {}

  /** How to treat the first non-comment line. */
  public enum HeaderMode {
    AUTO,
    PRESENT,
    ABSENT
  }

  public static boolean isComment(String line) {
    int i = 0;
    int n = line.length();
    while (i < n && Character.isWhitespace(line.charAt(i))) {
      i++;
    }
    return i == n || line.charAt(i) == '#' || line.charAt(i) == '%';
  }

  /**
   * Parses an edge line into {@code out[0] = src, out[1] = dst}.
   *
   * @return null when the line is fine, otherwise what is wrong with it (the caller adds the
   *     file and line number)
   */
  public static String parse(String line, long[] out) {
    int n = line.length();
    int i = 0;
    for (int field = 0; field < 2; field++) {
      while (i < n && (Character.isWhitespace(line.charAt(i)) || (field == 1 && line.charAt(i) == ','))) {
        i++;
      }
      int start = i;
      long value = 0;
      while (i < n && line.charAt(i) >= '0' && line.charAt(i) <= '9') {
        int digit = line.charAt(i) - '0';
        if (value > (Long.MAX_VALUE - digit) / 10) {
          return "id out of range in '" + abbreviate(line) + "'";
        }
        value = value * 10 + digit;
        i++;
      }
      if (i == start) {
        if (i < n && line.charAt(i) == '-') {
          return "negative id in '" + abbreviate(line) + "'";
        }
        return "expected two integer ids, got '" + abbreviate(line) + "'";
      }
      if (i < n && !Character.isWhitespace(line.charAt(i)) && line.charAt(i) != ',') {
        return "expected two integer ids, got '" + abbreviate(line) + "'";
      }
      out[field] = value;
    }
    while (i < n && Character.isWhitespace(line.charAt(i))) {
      i++;
    }
    if (i != n) {
      return "expected two integer ids, got '" + abbreviate(line) + "' (extra fields)";
    }
    return null;
  }

  /**
   * Decides whether a first line {@code nodes edges} was a header.
   *
   * @param edgeLinesAfter edge lines after the first one
   * @param maxIdAfter the largest id on those lines (-1 when there are none)
   */
  public static boolean isHeader(HeaderMode mode, long nodes, long edges, long edgeLinesAfter, long maxIdAfter) {
    switch (mode) {
      case PRESENT: return true;
      case ABSENT: return false;
      default: return edges == edgeLinesAfter && maxIdAfter < nodes;
    }
  }

  private static String abbreviate(String line) {
    return line.length() <= 80 ? line : line.substring(0, 77) + "...";
  }
}
