package io.dqspark.graph;

import java.util.Objects;

/** The edges table: {@code graph_id, src, dst}. Direction matters: in-degree counts {@code dst}. */
public final class EdgeTable {
  private final long[] graphIds;
  private final long[] src;
  private final long[] dst;

  public EdgeTable(long[] graphIds, long[] src, long[] dst) {
    this.graphIds = Objects.requireNonNull(graphIds, "graphIds");
    this.src = Objects.requireNonNull(src, "src");
    this.dst = Objects.requireNonNull(dst, "dst");
    if (graphIds.length != src.length || src.length != dst.length) {
      throw new IllegalArgumentException("edge columns differ in length: graph_id=" + graphIds.length
          + " src=" + src.length + " dst=" + dst.length);
    }
  }

  public int size() { return src.length; }
  public long graphId(int row) { return graphIds[row]; }
  public long src(int row) { return src[row]; }
  public long dst(int row) { return dst[row]; }

  public long[] graphIds() { return graphIds; }
  public long[] src() { return src; }
  public long[] dst() { return dst; }
}
