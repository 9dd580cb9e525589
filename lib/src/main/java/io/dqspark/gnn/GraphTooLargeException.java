package io.dqspark.gnn;

import java.util.Locale;

/**
 * A training graph whose per-edge tensors did not fit this JVM's heap, raised in place of the
 * {@link OutOfMemoryError} (which Spark answers by killing the executor, and in local mode the
 * driver with it). It carries the graph's key from the example's header, so the trainer can name
 * the part (design §7.4). The OutOfMemoryError is kept as a suppressed exception, not the cause:
 * Spark's executor also kills itself when a fatal error sits anywhere in the first five causes
 * ({@code spark.executor.killOnFatalError.depth}), which in local mode ended the whole run.
 */
public final class GraphTooLargeException extends IllegalStateException {
  /** The start of every such message, for finding it in a Spark failure that quotes it. */
  public static final String MARK = "a training graph of ";

  private final long graphKey;
  private final int nodes;
  private final int edges;
  private final long bytesNeeded;

  public GraphTooLargeException(String layer, long graphKey, int nodes, int edges, int width, long bytesNeeded,
      OutOfMemoryError cause) {
    super(String.format(Locale.ROOT, MARK + "%,d nodes and %,d edges (graph key %d) does not fit"
            + " this JVM's heap: layer '%s' needs about %,d MB for its %,d x %d message tensor, the heap is %,d MB",
        nodes, edges, graphKey, layer, bytesNeeded >> 20, edges, width, Runtime.getRuntime().maxMemory() >> 20));
    addSuppressed(cause);
    this.graphKey = graphKey;
    this.nodes = nodes;
    this.edges = edges;
    this.bytesNeeded = bytesNeeded;
  }

  public long graphKey() { return graphKey; }
  public int nodes() { return nodes; }
  public int edges() { return edges; }
  public long bytesNeeded() { return bytesNeeded; }
}
