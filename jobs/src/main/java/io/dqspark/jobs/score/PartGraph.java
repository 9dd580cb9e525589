package io.dqspark.jobs.score;

import io.dqspark.model.GcnGraph;
import io.dqspark.model.GinGraph;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One part of a big graph as its scoring task needs it: its own nodes, then its halo (the
 * in-neighbours owned by other parts), the in-edges of its own nodes in local ids, every node's
 * whole-graph GCN degree, and for each own node the other parts whose halo holds it (where its
 * activations must be sent after each layer). Built once per scoring run and kept by Spark.
 */
public final class PartGraph implements Serializable {
  private final int part;
  private final long[] ids;
  private final int owned;
  private final int[] degree;
  private final int[] src;
  private final int[] dst;
  private final int[] sendPtr;
  private final int[] sendTo;
  private transient Map<Long, Integer> local;
  private transient GcnGraph graph;
  private transient GinGraph ginGraph;

  /** A member node: {@code sendTo} empty for halo nodes. */
  public record Member(long id, int degree, boolean owned, int[] sendTo) implements Serializable {}

  /** An in-edge of an own node, in global ids. */
  public record Edge(long src, long dst) implements Serializable {}

  PartGraph(int part, List<Member> members, List<Edge> edges) {
    this.part = part;
    List<Member> sorted = new java.util.ArrayList<>(members);
    // own nodes first, each group by id: a deterministic local order
    sorted.sort((a, b) -> a.owned() != b.owned() ? (a.owned() ? -1 : 1) : Long.compare(a.id(), b.id()));
    int n = sorted.size();
    ids = new long[n];
    degree = new int[n];
    int own = 0;
    int sends = 0;
    for (int i = 0; i < n; i++) {
      Member m = sorted.get(i);
      ids[i] = m.id();
      degree[i] = m.degree();
      own += m.owned() ? 1 : 0;
      sends += m.owned() ? m.sendTo().length : 0;
    }
    owned = own;
    sendPtr = new int[own + 1];
    sendTo = new int[sends];
    for (int i = 0; i < own; i++) {
      int[] to = sorted.get(i).sendTo();
      System.arraycopy(to, 0, sendTo, sendPtr[i], to.length);
      sendPtr[i + 1] = sendPtr[i] + to.length;
    }
    Map<Long, Integer> index = localIndex();
    src = new int[edges.size()];
    dst = new int[edges.size()];
    for (int e = 0; e < edges.size(); e++) {
      src[e] = index.get(edges.get(e).src());
      dst[e] = index.get(edges.get(e).dst());
    }
  }

  public int part() { return part; }
  /** Nodes of the part (own and halo). */
  public int nodes() { return ids.length; }
  public int owned() { return owned; }
  public long id(int local) { return ids[local]; }
  public int edges() { return src.length; }

  /** Local index of a member's global id, or -1. */
  public int localOf(long id) {
    Integer i = localIndex().get(id);
    return i == null ? -1 : i;
  }

  /** The parts (other than this one) whose halo holds own node {@code local}. */
  public int[] sendTo(int local) {
    return java.util.Arrays.copyOfRange(sendTo, sendPtr[local], sendPtr[local + 1]);
  }

  /** The part's integer-scoring graph with whole-graph degrees (see GcnGraph.withDegrees). */
  public synchronized GcnGraph gcnGraph() {
    if (graph == null) {
      graph = GcnGraph.withDegrees(ids.length, src, dst, degree);
    }
    return graph;
  }

  /** The part's in-edges for a GIN (plain sums: no degrees needed). */
  public synchronized GinGraph ginGraph() {
    if (ginGraph == null) {
      ginGraph = GinGraph.of(ids.length, src, dst);
    }
    return ginGraph;
  }

  private synchronized Map<Long, Integer> localIndex() {
    if (local == null) {
      Map<Long, Integer> m = new HashMap<>(ids.length * 2);
      for (int i = 0; i < ids.length; i++) {
        m.put(ids[i], i);
      }
      local = m;
    }
    return local;
  }
}
