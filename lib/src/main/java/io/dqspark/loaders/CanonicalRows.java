package io.dqspark.loaders;

import io.dqspark.graph.EdgeTable;
import io.dqspark.graph.GraphTable;
import io.dqspark.graph.Split;
import io.dqspark.graph.VertexTable;
import io.dqspark.util.DqInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.hadoop.fs.Path;

/**
 * Collects canonical-table rows into the in-memory tables, checking values as they come so that
 * an error can still name the file and row: features of one width and finite, labels
 * non-negative (null is "no label"), splits that {@link Split#parse} knows.
 */
final class CanonicalRows {
  private static final float[] NO_FEATURES = new float[0];

  private CanonicalRows() {}

  static VertexTable vertices(Consumer<Consumer<TableRow>> scan) {
    LongArrayBuilder graphIds = new LongArrayBuilder(1 << 12);
    LongArrayBuilder ids = new LongArrayBuilder(1 << 12);
    List<float[]> features = new ArrayList<>();
    IntArrayBuilder labels = new IntArrayBuilder();
    List<Split> splits = new ArrayList<>();
    scan.accept(row -> {
      graphIds.add(row.getLong(0));
      ids.add(row.getLong(1));
      float[] f = row.getFloats(2);
      if (!features.isEmpty() && f.length != features.get(0).length) {
        throw row.error(2, f.length + " values, but the first vertex has " + features.get(0).length);
      }
      for (int k = 0; k < f.length; k++) {
        if (!Float.isFinite(f[k])) {
          throw row.error(2, "value " + (k + 1) + " is " + f[k] + " (features must be finite)");
        }
      }
      features.add(f.length == 0 ? NO_FEATURES : f);
      labels.add(label(row, 3));
      splits.add(split(row, 4));
    });
    long[] graphColumn = graphIds.toArray();
    long[] idColumn = ids.toArray();
    int[] order = Order.byTwoKeys(graphColumn, idColumn);
    long[] g = Order.apply(graphColumn, order);
    long[] id = Order.apply(idColumn, order);
    float[][] f = Order.apply(features.toArray(new float[0][]), order);
    int[] l = Order.apply(labels.toArray(), order);
    Split[] s = Order.apply(splits.toArray(new Split[0]), order);
    return new VertexTable(g, id, f, l, s);
  }

  static EdgeTable edges(Consumer<Consumer<TableRow>> scan) {
    LongArrayBuilder graphIds = new LongArrayBuilder(1 << 12);
    LongArrayBuilder src = new LongArrayBuilder(1 << 12);
    LongArrayBuilder dst = new LongArrayBuilder(1 << 12);
    scan.accept(row -> {
      graphIds.add(row.getLong(0));
      src.add(row.getLong(1));
      dst.add(row.getLong(2));
    });
    return new EdgeTable(graphIds.toArray(), src.toArray(), dst.toArray());
  }

  static GraphTable graphs(Consumer<Consumer<TableRow>> scan, Path dir) {
    LongArrayBuilder graphIds = new LongArrayBuilder(1 << 10);
    IntArrayBuilder labels = new IntArrayBuilder();
    List<Split> splits = new ArrayList<>();
    scan.accept(row -> {
      graphIds.add(row.getLong(0));
      labels.add(label(row, 1));
      splits.add(split(row, 2));
    });
    long[] ids = graphIds.toArray();
    int[] order = Order.byTwoKeys(ids, new long[ids.length]);
    long[] g = Order.apply(ids, order);
    for (int i = 1; i < g.length; i++) {
      if (g[i] == g[i - 1]) {
        throw new DqInputException(dir + ": graph_id " + g[i] + " appears more than once");
      }
    }
    return new GraphTable(g, Order.apply(labels.toArray(), order), Order.apply(splits.toArray(new Split[0]), order));
  }

  private static int label(TableRow row, int column) {
    if (row.isNull(column)) {
      return VertexTable.NO_LABEL;
    }
    int label = row.getInt(column);
    if (label < 0) {
      throw row.error(column, "label " + label + " is negative (classes are 0..C-1; use null for no label)");
    }
    return label;
  }

  private static Split split(TableRow row, int column) {
    if (row.isNull(column)) {
      return null;
    }
    try {
      return Split.parse(row.getString(column));
    } catch (IllegalArgumentException e) {
      throw row.error(column, e.getMessage());
    }
  }
}
