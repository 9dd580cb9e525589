package io.dqspark.loaders;

import io.dqspark.graph.EdgeRules;
import io.dqspark.graph.EdgeTable;
import io.dqspark.graph.GraphDataset;
import io.dqspark.graph.GraphLevel;
import io.dqspark.graph.Split;
import io.dqspark.graph.VertexTable;
import io.dqspark.util.DqInputException;
import io.dqspark.util.HadoopFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.hadoop.fs.Path;

/**
 * Loads a plain (SNAP-style) edge list, one file or a directory of part files, as one
 * unlabelled node-level graph. Line rules come from {@link EdgeListFormat} so that this loader
 * and the Spark ingest job accept exactly the same inputs. Ids are kept in primitive arrays:
 * SNAP graphs have millions of lines.
 */
public final class EdgeListLoader {
  private EdgeListLoader() {}

  /**
   * @param path a file or a directory of part files (any Hadoop URI)
   * @param name dataset name; null takes the file name without extension (or the folder name)
   * @param header whether the first non-comment line is a {@code nodes edges} header
   * @param symmetrize add the reverse of every edge before cleaning (for undirected lists)
   */
  public static GraphDataset load(HadoopFiles files, String path, String name, EdgeListFormat.HeaderMode header,
      boolean symmetrize, EdgeRules.Options rules) {
    Objects.requireNonNull(files, "files");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(rules, "rules");
    Path input = new Path(path);
    Lines lines = read(files, PartFiles.fileOrParts(files, input, "edge list"));
    if (lines.src.size() == 0) {
      throw new DqInputException(path + ": no edge lines and no header, the dataset is empty");
    }
    int count = lines.src.size();
    boolean hasHeader = EdgeListFormat.isHeader(header, lines.src.get(0), lines.dst.get(0), count - 1L,
        lines.maxIdAfterFirst);
    int first = hasHeader ? 1 : 0;
    long[] vertexIds = hasHeader ? headerVertices(lines) : distinctIds(lines);
    if (vertexIds.length == 0) {
      throw new DqInputException(lines.firstWhere + ": the header declares 0 nodes, the dataset is empty");
    }

    int m = count - first;
    int total = symmetrize ? 2 * m : m;
    long[] src = new long[total];
    long[] dst = new long[total];
    for (int e = 0; e < m; e++) {
      src[e] = lines.src.get(first + e);
      dst[e] = lines.dst.get(first + e);
    }
    if (symmetrize) {
      System.arraycopy(dst, 0, src, m, m);
      System.arraycopy(src, 0, dst, m, m);
    }
    EdgeTable raw = new EdgeTable(new long[total], src, dst);
    int n = vertexIds.length;
    float[] noFeatures = new float[0];
    float[][] features = new float[n][];
    Arrays.fill(features, noFeatures);
    int[] labels = new int[n];
    Arrays.fill(labels, VertexTable.NO_LABEL);
    VertexTable vertices = new VertexTable(new long[n], vertexIds, features, labels, new Split[n]);
    EdgeRules.Result cleaned = EdgeRules.clean(raw, vertices, rules, path);
    return new GraphDataset(name != null ? name : defaultName(input), GraphLevel.NODE, 0, vertices,
        cleaned.edges(), null, cleaned.counts());
  }

  /** With a header, vertices are 0..nodes-1 and every id must be below nodes. */
  private static long[] headerVertices(Lines lines) {
    long nodes = lines.src.get(0);
    if (lines.firstAbove != null) {
      throw new DqInputException(lines.firstAbove + ": vertex id " + lines.firstAboveId
          + " is not below the header's node count " + nodes + " (header at " + lines.firstWhere + ")");
    }
    if (nodes > Integer.MAX_VALUE - 8) {
      throw new DqInputException(lines.firstWhere + ": header declares " + nodes
          + " nodes, more than one JVM loader holds (use the Spark ingest job)");
    }
    long[] ids = new long[(int) nodes];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = i;
    }
    return ids;
  }

  /** Without a header, vertices are the distinct ids that occur, sorted. */
  private static long[] distinctIds(Lines lines) {
    int m = lines.src.size();
    long[] all = new long[2 * m];
    for (int e = 0; e < m; e++) {
      all[2 * e] = lines.src.get(e);
      all[2 * e + 1] = lines.dst.get(e);
    }
    Arrays.sort(all);
    int n = 0;
    for (int i = 0; i < all.length; i++) {
      if (n == 0 || all[i] != all[n - 1]) {
        all[n++] = all[i];
      }
    }
    return Arrays.copyOf(all, n);
  }

  private static Lines read(HadoopFiles files, List<Path> parts) {
    Lines lines = new Lines();
    long[] pair = new long[2];
    for (Path part : parts) {
      try (BufferedReader in = files.openText(part, "edge list")) {
        long number = 0;
        String line;
        while ((line = in.readLine()) != null) {
          number++;
          if (EdgeListFormat.isComment(line)) {
            continue;
          }
          String problem = EdgeListFormat.parse(line, pair);
          if (problem != null) {
            throw DqInputException.atLine(part.toString(), number, problem);
          }
          lines.add(pair[0], pair[1], part, number);
        }
      } catch (IOException e) {
        throw new DqInputException("edge list: cannot read " + part + ": " + e.getMessage(), e);
      }
    }
    return lines;
  }

  private static String defaultName(Path input) {
    String name = input.getName();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  /** Every parsed line, plus what {@link EdgeListFormat#isHeader} and header errors need. */
  private static final class Lines {
    final LongArrayBuilder src = new LongArrayBuilder(1 << 16);
    final LongArrayBuilder dst = new LongArrayBuilder(1 << 16);
    long maxIdAfterFirst = -1;
    String firstWhere;
    /** The first line after the first whose id reaches the first line's first number. */
    String firstAbove;
    long firstAboveId;

    void add(long s, long d, Path part, long number) {
      if (src.size() == 0) {
        firstWhere = part + ":" + number;
      } else {
        long max = Math.max(s, d);
        maxIdAfterFirst = Math.max(maxIdAfterFirst, max);
        if (firstAbove == null && max >= src.get(0)) {
          firstAbove = part + ":" + number;
          firstAboveId = max;
        }
      }
      src.add(s);
      dst.add(d);
    }
  }
}
