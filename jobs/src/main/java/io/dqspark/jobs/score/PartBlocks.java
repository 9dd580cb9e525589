package io.dqspark.jobs.score;

import io.dqspark.util.DqInputException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * What a scoring run shuffles to the parts before the first layer, grouped on the map side: each
 * input partition sends each part one block of arrays (features, in-edges, members) rather than one
 * record per node or edge. Under Spark's Java serializer a record costs a few boxed objects and
 * their headers, which for R-MAT scale 20's tens of millions of edges outweighs the data; a block
 * costs its arrays, written in bulk.
 */
final class PartBlocks {
  private PartBlocks() {}

  /** Feature rows of some nodes of one part, {@code rows.length / ids.length} values each. */
  record Features(long[] ids, float[] rows) implements Serializable {}

  /** In-edges of some nodes of one part, in global ids. */
  record Edges(long[] src, long[] dst) implements Serializable {}

  /**
   * Some members of one part: whole-graph degree, owning part (the block's own part for own
   * nodes), and for each node the other parts whose halo holds it ({@code sendTo[sendPtr[i] ..
   * sendPtr[i + 1])}, empty for halo nodes).
   */
  record Members(long[] ids, int[] degree, int[] owner, int[] sendPtr, int[] sendTo) implements Serializable {}

  /** Collects one part's rows of one input partition. */
  interface Sink<T> {
    void add(Row row);

    T build();
  }

  /**
   * The rows of one input partition as one block per part: column 0 holds the part, column 1 the
   * node id (the source for edges, whose parts the edge join has already checked).
   */
  static <T> Iterator<Tuple2<Integer, T>> group(Iterator<Row> rows, Supplier<Sink<T>> sinks) {
    Map<Integer, Sink<T>> byPart = new TreeMap<>();
    while (rows.hasNext()) {
      Row r = rows.next();
      if (r.isNullAt(0)) {
        throw new DqInputException("vertex " + r.get(1) + " has no part");
      }
      byPart.computeIfAbsent(r.getInt(0), p -> sinks.get()).add(r);
    }
    List<Tuple2<Integer, T>> out = new ArrayList<>(byPart.size());
    byPart.forEach((part, sink) -> out.add(new Tuple2<>(part, sink.build())));
    return out.iterator();
  }

  /** Rows {@code (part, id, features)}: checked, row-normalized when asked, as {@link Features}. */
  static Sink<Features> features(int width, boolean rowNormalize) {
    return new Sink<>() {
      long[] ids = new long[16];
      float[] rows = new float[16 * width];
      int n;

      public void add(Row r) {
        long id = r.getLong(1);
        if (n == ids.length) {
          ids = Arrays.copyOf(ids, 2 * n);
          rows = Arrays.copyOf(rows, 2 * n * width);
        }
        FeatureRows.copy(r.isNullAt(2) ? null : r.getList(2), width, "vertex " + id, rows, n * width);
        if (rowNormalize) {
          FeatureRows.rowNormalize(rows, n * width, width);
        }
        ids[n++] = id;
      }

      public Features build() {
        return new Features(Arrays.copyOf(ids, n), Arrays.copyOf(rows, n * width));
      }
    };
  }

  /** Rows {@code (part, src, dst)} as {@link Edges}. */
  static Sink<Edges> edges() {
    return new Sink<>() {
      long[] src = new long[16];
      long[] dst = new long[16];
      int n;

      public void add(Row r) {
        if (n == src.length) {
          src = Arrays.copyOf(src, 2 * n);
          dst = Arrays.copyOf(dst, 2 * n);
        }
        src[n] = r.getLong(1);
        dst[n++] = r.getLong(2);
      }

      public Edges build() {
        return new Edges(Arrays.copyOf(src, n), Arrays.copyOf(dst, n));
      }
    };
  }

  /** Rows {@code (part, id, degree, owner, send_to: array<int> or null)} as {@link Members}. */
  static Sink<Members> members() {
    return new Sink<>() {
      long[] ids = new long[16];
      int[] degree = new int[16];
      int[] owner = new int[16];
      int[] sendPtr = new int[17];
      int[] sendTo = new int[16];
      int n;

      public void add(Row r) {
        if (n == ids.length) {
          ids = Arrays.copyOf(ids, 2 * n);
          degree = Arrays.copyOf(degree, 2 * n);
          owner = Arrays.copyOf(owner, 2 * n);
          sendPtr = Arrays.copyOf(sendPtr, 2 * n + 1);
        }
        ids[n] = r.getLong(1);
        degree[n] = r.getInt(2);
        owner[n] = r.getInt(3);
        List<Integer> to = r.isNullAt(4) ? List.of() : r.getList(4);
        int at = sendPtr[n];
        if (at + to.size() > sendTo.length) {
          sendTo = Arrays.copyOf(sendTo, Math.max(2 * sendTo.length, at + to.size()));
        }
        for (int q : to) {
          sendTo[at++] = q;
        }
        sendPtr[++n] = at;
      }

      public Members build() {
        return new Members(Arrays.copyOf(ids, n), Arrays.copyOf(degree, n), Arrays.copyOf(owner, n),
            Arrays.copyOf(sendPtr, n + 1), Arrays.copyOf(sendTo, sendPtr[n]));
      }
    };
  }
}
