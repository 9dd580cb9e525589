package io.dqspark.jobs.bench;

import static io.dqspark.jobs.common.GraphSchemas.DST;
import static io.dqspark.jobs.common.GraphSchemas.ID;
import static io.dqspark.jobs.common.GraphSchemas.PART;
import static io.dqspark.jobs.common.GraphSchemas.SRC;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;

import io.dqspark.jobs.partition.BalancedLabelPropagation;
import io.dqspark.jobs.partition.PartitionQuality;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.graphframes.GraphFrame;
import org.graphframes.lib.LabelPropagation;

/**
 * The core of {@code bin/dq bench partition}: three ways to put every node of one big graph into
 * one of K parts, measured the same way (design §3.4).
 *
 * <ul>
 *   <li>{@code balanced-lpa}: the partition job's own balanced label propagation, with the job's
 *       default settings.
 *   <li>{@code graphframes-lpa}: GraphFrames' {@code labelPropagation()} (its default GraphX
 *       variant), which finds communities with no part count and no size limit; the communities
 *       are then packed whole into K parts, largest first, each to the part with the fewest nodes
 *       so far ({@link #packLargestFirst}). Packing never splits a community, so it cuts only
 *       edges between communities, and its largest part is within 4/3 of the smallest largest
 *       part any packing of whole communities could reach (Graham's bound for largest-first).
 *   <li>{@code hash}: {@code pmod(xxhash64(id, seed), K)}, the partition job's baseline.
 * </ul>
 *
 * <p>Every labelling is a table {@code (id, part)}. Sizes are node counts per part; the cut is the
 * fraction of directed edges whose endpoints lie in different parts, as in {@code
 * partitions.json}.
 */
final class PartitionComparison {
  static final String BALANCED = "balanced-lpa";
  static final String GRAPHFRAMES = "graphframes-lpa";
  static final String HASH = "hash";

  private PartitionComparison() {}

  /**
   * One labelling into K parts and how long it took.
   *
   * @param iterations rounds run (balanced), the maxIter given (GraphFrames), 0 (hash)
   * @param seconds wall time to compute the labelling, cut and sizes excluded
   */
  record Labelling(String method, int k, int iterations, Dataset<Row> labels, double seconds) {}

  /** GraphFrames' communities as {@code (id, community)}, and the time its run took. */
  record Communities(int maxIter, Dataset<Row> labels, long[] sizes, long[] ids, double seconds) {
    long count() {
      return sizes.length;
    }

    long largest() {
      return sizes.length == 0 ? 0 : sizes[0];
    }
  }

  /** Measured figures of one labelling; sizes has one entry per part 0..K-1 (empty parts are 0). */
  record Quality(long nodes, long edges, long cutEdges, long[] sizes) {
    double cut() {
      return edges == 0 ? 0 : (double) cutEdges / edges;
    }

    long nonEmptyParts() {
      return Arrays.stream(sizes).filter(s -> s > 0).count();
    }

    long maxPart() {
      return Arrays.stream(sizes).max().orElse(0);
    }

    long minPart() {
      return Arrays.stream(sizes).min().orElse(0);
    }

    /** Largest part over the mean part (nodes / K): 1 is perfect balance. */
    double imbalance() {
      return nodes == 0 ? 0 : maxPart() / ((double) nodes / sizes.length);
    }
  }

  // ---- the three methods ----------------------------------------------------------------------

  /** The partition job's algorithm, called as {@code PartitionJob} calls it. */
  static Labelling balanced(Dataset<Row> vertexIds, Dataset<Row> edges, BalancedLabelPropagation.Settings s) {
    long start = System.nanoTime();
    BalancedLabelPropagation.Result result = BalancedLabelPropagation.run(vertexIds, edges, s);
    double seconds = (System.nanoTime() - start) / 1e9; // labels come back checkpointed: computed
    return new Labelling(BALANCED, s.parts(), result.rounds(), result.labels(), seconds);
  }

  /**
   * GraphFrames' label propagation, {@code maxIter} rounds, materialised and timed. Only the
   * vertex ids and edge endpoints go in: the canonical {@code label} column would clash with the
   * community column GraphFrames adds.
   */
  static Communities graphFramesCommunities(Dataset<Row> vertexIds, Dataset<Row> edges, int maxIter) {
    GraphFrame g = GraphFrame.apply(vertexIds.select(col(ID)), edges.select(col(SRC), col(DST)));
    long start = System.nanoTime();
    // A typed local: the inherited setters return their Scala trait, so calls do not chain.
    LabelPropagation lpa = g.labelPropagation();
    lpa.maxIter(maxIter);
    Dataset<Row> result = lpa.run(); // comes back cached
    Dataset<Row> labels = result.select(col(ID), col("label").as("community"))
        .persist(StorageLevel.MEMORY_AND_DISK());
    List<Row> counts = labels.groupBy("community").count().collectAsList();
    double seconds = (System.nanoTime() - start) / 1e9;
    result.unpersist();
    // Largest first; equal sizes by community id, so the packing is reproducible.
    List<Row> sorted = new ArrayList<>(counts);
    sorted.sort(Comparator.<Row>comparingLong(r -> -r.getLong(1)).thenComparingLong(r -> r.getLong(0)));
    long[] sizes = new long[sorted.size()];
    long[] ids = new long[sorted.size()];
    for (int i = 0; i < sorted.size(); i++) {
      ids[i] = sorted.get(i).getLong(0);
      sizes[i] = sorted.get(i).getLong(1);
    }
    return new Communities(maxIter, labels, sizes, ids, seconds);
  }

  /**
   * Packs whole communities into K parts ({@link #packLargestFirst}) and labels every node with
   * its community's part. The time is the packing's and the labelling's; the community search's
   * is in {@link Communities#seconds()}.
   */
  static Labelling packCommunities(SparkSession spark, Communities c, int k) {
    long start = System.nanoTime();
    int[] bin = packLargestFirst(c.sizes(), k);
    List<Row> rows = new ArrayList<>(bin.length);
    for (int i = 0; i < bin.length; i++) {
      rows.add(RowFactory.create(c.ids()[i], bin[i]));
    }
    StructType schema = new StructType()
        .add("community", DataTypes.LongType, false)
        .add(PART, DataTypes.IntegerType, false);
    Dataset<Row> partOf = spark.createDataFrame(rows, schema);
    Dataset<Row> labels = c.labels().join(broadcast(partOf), "community").select(col(ID), col(PART))
        .persist(StorageLevel.MEMORY_AND_DISK());
    labels.count();
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Labelling(GRAPHFRAMES, k, c.maxIter(), labels, seconds);
  }

  /** The partition job's hash baseline, materialised and timed. */
  static Labelling hash(Dataset<Row> vertexIds, int k, long seed) {
    long start = System.nanoTime();
    Dataset<Row> labels = BalancedLabelPropagation.hashLabels(vertexIds, k, seed).persist(StorageLevel.MEMORY_AND_DISK());
    labels.count();
    return new Labelling(HASH, k, 0, labels, (System.nanoTime() - start) / 1e9);
  }

  /**
   * Largest-first greedy packing: items in the order given (largest first) each go to the bin
   * with the smallest total so far, the lowest index on ties. Returns each item's bin.
   */
  static int[] packLargestFirst(long[] sizesLargestFirst, int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, got " + k);
    }
    long[] load = new long[k];
    int[] bin = new int[sizesLargestFirst.length];
    for (int i = 0; i < sizesLargestFirst.length; i++) {
      int best = 0;
      for (int b = 1; b < k; b++) {
        if (load[b] < load[best]) {
          best = b;
        }
      }
      bin[i] = best;
      load[best] += sizesLargestFirst[i];
    }
    return bin;
  }

  // ---- the one way every labelling is measured -------------------------------------------------

  /**
   * Part sizes, edge cut, node and edge counts of a labelling into parts 0..k-1, measured as the
   * partition job measures its own (partitions.json).
   */
  static Quality quality(Dataset<Row> labels, Dataset<Row> edges, int k) {
    long[] sizes = BalancedLabelPropagation.partSizes(labels, k);
    PartitionQuality.Cut cut = PartitionQuality.edgeCut(edges, labels);
    return new Quality(Arrays.stream(sizes).sum(), cut.edges(), cut.cut(), sizes);
  }
}
