package io.dqspark.jobs.score;

import io.dqspark.model.GcnGraph;
import io.dqspark.model.GinGraph;
import io.dqspark.model.LayerGraph;
import java.io.Serializable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One part of a big graph as its scoring task needs it: its own nodes, then its halo (the
 * in-neighbours owned by other parts), the in-edges of its own nodes in local ids, every node's
 * whole-graph GCN degree, and which own nodes' rows go to which other part after each layer.
 * Built once per scoring run and kept by Spark.
 *
 * <p>Local order: own nodes by id, then the halo grouped by owning part, by id inside a group. A
 * sender lists the nodes it sends one part by id too ({@link #sendList}), so a {@link RowBlock}
 * from part {@code p} lands as one contiguous copy at {@link #haloStart haloStart(p)}, no ids needed.
 */
public final class PartGraph implements Serializable, LayerGraph {
  private final int part;
  private final long[] ids;
  private final int owned;
  private final int[] degree;
  private final int[] src;
  private final int[] dst;
  /** Parts this part's halo comes from, ascending, and where each one's rows start (length + 1). */
  private final int[] haloParts;
  private final int[] haloPtr;
  /** Parts this part sends rows to (not itself), ascending; own locals sent to each, CSR. */
  private final int[] destinations;
  private final int[] sendPtr;
  private final int[] sendLocals;
  private transient Map<Long, Integer> local;
  private transient GcnGraph graph;
  private transient GinGraph ginGraph;

  /**
   * @param members the part's own nodes and halo, in any order and any number of blocks
   * @param edges the in-edges of the own nodes, global ids, in any number of blocks
   */
  PartGraph(int part, Iterable<PartBlocks.Members> members, Iterable<PartBlocks.Edges> edges) {
    this.part = part;
    // every member, flattened: block and index inside it
    List<PartBlocks.Members> blocks = new java.util.ArrayList<>();
    members.forEach(blocks::add);
    int n = blocks.stream().mapToInt(b -> b.ids().length).sum();
    long[] at = new long[n];
    for (int b = 0, k = 0; b < blocks.size(); b++) {
      for (int i = 0; i < blocks.get(b).ids().length; i++) {
        at[k++] = ((long) b << 32) | i;
      }
    }
    java.util.Comparator<Long> order = java.util.Comparator
        .comparingInt((Long x) -> ownerOf(blocks, x) == part ? 0 : 1)
        .thenComparingInt(x -> ownerOf(blocks, x))
        .thenComparingLong(x -> blocks.get((int) (x >>> 32)).ids()[(int) (long) x]);
    long[] sorted = java.util.Arrays.stream(at).boxed().sorted(order).mapToLong(Long::longValue).toArray();
    ids = new long[n];
    degree = new int[n];
    int own = 0;
    TreeMap<Integer, Integer> haloCounts = new TreeMap<>();
    TreeMap<Integer, Integer> sendCounts = new TreeMap<>();
    for (int v = 0; v < n; v++) {
      PartBlocks.Members b = blocks.get((int) (sorted[v] >>> 32));
      int i = (int) sorted[v];
      ids[v] = b.ids()[i];
      degree[v] = b.degree()[i];
      if (b.owner()[i] == part) {
        own++;
        for (int e = b.sendPtr()[i]; e < b.sendPtr()[i + 1]; e++) {
          sendCounts.merge(b.sendTo()[e], 1, Integer::sum);
        }
      } else {
        haloCounts.merge(b.owner()[i], 1, Integer::sum);
      }
    }
    owned = own;
    haloParts = keys(haloCounts);
    haloPtr = offsets(haloCounts, owned);
    destinations = keys(sendCounts);
    sendPtr = offsets(sendCounts, 0);
    sendLocals = new int[sendPtr[sendPtr.length - 1]];
    int[] next = Arrays.copyOf(sendPtr, destinations.length);
    for (int v = 0; v < own; v++) { // ascending locals: each list comes out in id order
      PartBlocks.Members b = blocks.get((int) (sorted[v] >>> 32));
      int i = (int) sorted[v];
      for (int e = b.sendPtr()[i]; e < b.sendPtr()[i + 1]; e++) {
        int d = Arrays.binarySearch(destinations, b.sendTo()[e]);
        sendLocals[next[d]++] = v;
      }
    }
    Map<Long, Integer> index = localIndex();
    int m = 0;
    for (PartBlocks.Edges e : edges) {
      m += e.src().length;
    }
    src = new int[m];
    dst = new int[m];
    int k = 0;
    for (PartBlocks.Edges e : edges) {
      for (int i = 0; i < e.src().length; i++, k++) {
        src[k] = index.get(e.src()[i]);
        dst[k] = index.get(e.dst()[i]);
      }
    }
  }

  private static int ownerOf(List<PartBlocks.Members> blocks, long at) {
    return blocks.get((int) (at >>> 32)).owner()[(int) at];
  }

  private static int[] keys(TreeMap<Integer, Integer> counts) {
    return counts.keySet().stream().mapToInt(Integer::intValue).toArray();
  }

  private static int[] offsets(TreeMap<Integer, Integer> counts, int start) {
    int[] ptr = new int[counts.size() + 1];
    ptr[0] = start;
    int i = 0;
    for (int c : counts.values()) {
      ptr[i + 1] = ptr[i] + c;
      i++;
    }
    return ptr;
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

  /** The other parts this part sends rows to after each layer, ascending. */
  public int[] destinations() {
    return destinations.clone();
  }

  /** The own nodes (locals, ascending, hence by id) whose rows part {@code to} needs. */
  public int[] sendList(int to) {
    int d = Arrays.binarySearch(destinations, to);
    return d < 0 ? new int[0] : Arrays.copyOfRange(sendLocals, sendPtr[d], sendPtr[d + 1]);
  }

  /**
   * Local index of the first halo node owned by part {@code from} ({@code from}'s own rows start at
   * 0 when it is this part), or -1 when this part holds none of {@code from}'s nodes.
   */
  public int haloStart(int from) {
    if (from == part) {
      return 0;
    }
    int h = Arrays.binarySearch(haloParts, from);
    return h < 0 ? -1 : haloPtr[h];
  }

  /** How many of this part's nodes part {@code from} owns (its own nodes when it is this part). */
  public int haloCount(int from) {
    if (from == part) {
      return owned;
    }
    int h = Arrays.binarySearch(haloParts, from);
    return h < 0 ? 0 : haloPtr[h + 1] - haloPtr[h];
  }

  /** The part's GCN/GAT graph with whole-graph degrees (see GcnGraph.withDegrees). */
  @Override
  public synchronized GcnGraph gcnGraph() {
    if (graph == null) {
      graph = GcnGraph.withDegrees(ids.length, src, dst, degree);
    }
    return graph;
  }

  /** The part's in-edges for a GIN (plain sums: no degrees needed). */
  @Override
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
