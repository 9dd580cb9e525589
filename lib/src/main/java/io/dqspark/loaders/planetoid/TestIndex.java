package io.dqspark.loaders.planetoid;

import io.dqspark.util.DqInputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.Arrays;

/**
 * The {@code ind.NAME.test.index} file: one node index per line, in the order of the
 * {@code tx}/{@code ty} rows. Blank lines are skipped (numpy's {@code loadtxt} does the same);
 * anything else that is not a non-negative integer is an error at its line.
 *
 * @param nodes the node index of each tx/ty row
 * @param lines the 1-based line each index came from, for later error messages
 */
public record TestIndex(int[] nodes, int[] lines) {

  public int size() {
    return nodes.length;
  }

  /** Parses the file; {@code file} names it in errors. */
  public static TestIndex parse(BufferedReader in, String file) throws IOException {
    int[] nodes = new int[1024];
    int[] lines = new int[1024];
    int n = 0;
    int lineNo = 0;
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      lineNo++;
      String s = line.strip();
      if (s.isEmpty()) {
        continue;
      }
      int value = parseIndex(s, file, lineNo);
      if (n == nodes.length) {
        nodes = Arrays.copyOf(nodes, 2 * n);
        lines = Arrays.copyOf(lines, 2 * n);
      }
      nodes[n] = value;
      lines[n] = lineNo;
      n++;
    }
    return new TestIndex(Arrays.copyOf(nodes, n), Arrays.copyOf(lines, n));
  }

  private static int parseIndex(String s, String file, int lineNo) {
    boolean digits = !s.isEmpty();
    for (int i = 0; i < s.length(); i++) {
      digits &= s.charAt(i) >= '0' && s.charAt(i) <= '9';
    }
    String shown = s.length() > 40 ? s.substring(0, 37) + "..." : s;
    if (!digits) {
      throw DqInputException.atLine(file, lineNo,
          "expected a node index (a non-negative integer), got '" + shown + "'");
    }
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw DqInputException.atLine(file, lineNo, "node index " + shown + " is too large");
    }
  }
}
