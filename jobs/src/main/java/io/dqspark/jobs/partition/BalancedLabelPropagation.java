package io.dqspark.jobs.partition;

import static io.dqspark.jobs.common.GraphSchemas.DST;
import static io.dqspark.jobs.common.GraphSchemas.ID;
import static io.dqspark.jobs.common.GraphSchemas.PART;
import static io.dqspark.jobs.common.GraphSchemas.SRC;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * K-way balanced partitioning of one big graph by label propagation with capacity-limited
 * migration, in the manner of Spinner (Martella et al., ICDE 2017), on DataFrames.
 *
 * <p>Each round every node scores each part by the share of its (undirected) neighbours there
 * plus a load penalty {@code lambda * (1 - load/capacity)}, and wants to move to the best part.
 * Moves are granted at random by {@link #moveProbabilities}: opposite moves between two parts
 * cancel out and are granted as swaps, only the remaining one-way flow is limited by the target's
 * room and the source's slack, and at most {@link #MAX_MOVE} of the wanted moves happen per round.
 * Randomness comes from a hash of (seed, round, node), so a run is reproducible whatever the Spark
 * partitioning.
 *
 * <p>Node labels are one int per node and are broadcast to the edge scan each round; the edges
 * (the big side) never move between executors after the first shuffle.
 */
public final class BalancedLabelPropagation {
  private static final Logger LOG = LoggerFactory.getLogger(BalancedLabelPropagation.class);
  /**
   * At most 80% of the nodes that want a move make it in one round. Synchronous label
   * propagation otherwise oscillates: with two parts, whole neighbourhoods swap sides together
   * every round and the cut stays where hashing left it (Cora, 2 parts: 49.8% with every move
   * granted, 10.6% with 0.8; 0.5 converged too slowly on Enron).
   */
  static final double MAX_MOVE = 0.8;
  /** Stop once fewer than this share of the nodes moved in a round. */
  public static final double STOP_FRACTION = 0.001;

  /** Settings; {@code eps} is the allowed relative deviation of a part's node count from the mean. */
  public record Settings(int parts, int maxRounds, double eps, double lambda, long seed, double stopFraction) {}

  /** (id, part) per node, and how the rounds went. */
  public record Result(Dataset<Row> labels, int rounds, List<Long> movesPerRound) {}

  private BalancedLabelPropagation() {}

  public static Result run(Dataset<Row> vertexIds, Dataset<Row> edges, Settings s) {
    int k = s.parts();
    Dataset<Row> directed = edges.where(col(SRC).notEqual(col(DST)));
    Dataset<Row> pairs = directed.select(col(SRC).as("u"), col(DST).as("v"))
        .union(directed.select(col(DST).as("u"), col(SRC).as("v")))
        .groupBy("u", "v").agg(count(lit(1)).as("w"));
    // (u, v, w, deg): w counts u->v and v->u edges; deg is u's total weight. Static across rounds.
    Dataset<Row> adjacency = pairs
        .join(pairs.groupBy("u").agg(sum("w").as("deg")), "u")
        .repartition(col("u"))
        .persist(StorageLevel.MEMORY_AND_DISK());

    Dataset<Row> labels = hashLabels(vertexIds, k, s.seed()).localCheckpoint(true);
    long n = labels.count();
    double mean = (double) n / k;
    // Granted swaps are random draws, so loads wander a little: aim at half the allowed deviation.
    double capacity = Math.floor((1 + s.eps() / 2) * mean);
    double floor = Math.ceil((1 - s.eps() / 2) * mean);

    List<Long> moves = new ArrayList<>();
    int round = 0;
    while (round < s.maxRounds()) {
      round++;
      long[] load = partSizes(labels, k);
      Column penalties = doubleArray(penalties(load, capacity, s.lambda()));
      Column penalty = element_at(penalties, col("lv").plus(1));
      Column curPenalty = element_at(penalties, col("cur").plus(1));

      Dataset<Row> neighbourParts = adjacency
          .join(broadcast(labels.select(col(ID).as("v"), col(PART).as("lv"))), "v")
          .groupBy("u", "deg", "lv").agg(sum("w").as("c"));
      // Staying put wins ties (the tiny bonus), so nodes do not oscillate between equal parts.
      Column score = col("c").divide(col("deg")).plus(penalty)
          .plus(when(col("lv").equalTo(col("cur")), lit(1e-9)).otherwise(lit(0.0)));
      Dataset<Row> scored = neighbourParts
          .join(broadcast(labels.select(col(ID).as("u"), col(PART).as("cur"))), "u")
          .withColumn("score", score)
          .groupBy("u", "cur", "deg")
          .agg(max_by(col("lv"), col("score")).as("best"), max("score").as("best_score"),
              sum(when(col("lv").equalTo(col("cur")), col("c")).otherwise(0L)).as("c_cur"))
          .withColumn("stay_score", col("c_cur").divide(col("deg")).plus(curPenalty).plus(lit(1e-9)))
          .where(col("best").notEqual(col("cur")).and(col("best_score").gt(col("stay_score"))))
          .select("u", "cur", "best")
          .persist(StorageLevel.MEMORY_AND_DISK());

      long[][] demand = new long[k][k];
      for (Row r : scored.groupBy("cur", "best").count().collectAsList()) {
        demand[r.getInt(0)][r.getInt(1)] = r.getLong(2);
      }
      Column chance = element_at(doubleArray(moveProbabilities(demand, load, capacity, floor)),
          col("cur").multiply(k).plus(col("best")).plus(1));
      Column draw = pmod(xxhash64(col("u"), lit(round), lit(s.seed())), lit(1L << 30)).cast("double").divide(1L << 30);
      Dataset<Row> moved = scored.where(draw.lt(chance)).select(col("u").as(ID), col("best"))
          .persist(StorageLevel.MEMORY_AND_DISK());
      long movedCount = moved.count();
      Dataset<Row> next = labels.join(moved, new String[] {ID}, "left")
          .select(col(ID), coalesce(col("best"), col(PART)).as(PART))
          .localCheckpoint(true);
      moved.unpersist();
      scored.unpersist();
      labels = next;
      moves.add(movedCount);
      LOG.info("label propagation round {}: {} nodes wanted to move, {} moved", round,
          java.util.Arrays.stream(demand).flatMapToLong(java.util.Arrays::stream).sum(), movedCount);
      if (movedCount < s.stopFraction() * n) {
        break;
      }
    }
    adjacency.unpersist();
    return new Result(labels, round, moves);
  }

  /**
   * Probability that a node wanting to go from part i to part j moves, flattened as
   * {@code [i * k + j]}. Moves i->j and j->i cancel out in the loads, so the smaller of the two
   * demands is granted in full both ways; only the remaining one-way flow is limited by the
   * target's room below capacity and the source's slack above the floor.
   */
  static double[] moveProbabilities(long[][] demand, long[] load, double capacity, double floor) {
    int k = load.length;
    double[][] swaps = new double[k][k];
    double[][] oneWay = new double[k][k];
    double[] inflow = new double[k];
    double[] outflow = new double[k];
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < k; j++) {
        swaps[i][j] = Math.min(demand[i][j], demand[j][i]);
        oneWay[i][j] = demand[i][j] - swaps[i][j];
        inflow[j] += oneWay[i][j];
        outflow[i] += oneWay[i][j];
      }
    }
    double[] p = new double[k * k];
    for (int i = 0; i < k; i++) {
      double out = outflow[i] == 0 ? 0 : Math.min(1, Math.max(0, load[i] - floor) / outflow[i]);
      for (int j = 0; j < k; j++) {
        if (demand[i][j] == 0) {
          continue;
        }
        double in = inflow[j] == 0 ? 0 : Math.min(1, Math.max(0, capacity - load[j]) / inflow[j]);
        p[i * k + j] = MAX_MOVE * (swaps[i][j] + oneWay[i][j] * Math.min(in, out)) / demand[i][j];
      }
    }
    return p;
  }

  /**
   * {@code (id, part)} with {@code part = pmod(xxhash64(id, seed), k)}: the starting labelling, and
   * the baseline partitions.json compares against.
   */
  public static Dataset<Row> hashLabels(Dataset<Row> vertices, int k, long seed) {
    return vertices.select(col(ID), pmod(xxhash64(col(ID), lit(seed)), lit(k)).cast("int").as(PART));
  }

  /** Nodes per part 0..k-1 of a labelling; a part outside that range is an error. */
  public static long[] partSizes(Dataset<Row> labels, int k) {
    long[] load = new long[k];
    for (Row r : labels.groupBy(PART).count().collectAsList()) {
      int p = r.getInt(0);
      if (p < 0 || p >= k) {
        throw new IllegalStateException("part " + p + " outside 0.." + (k - 1));
      }
      load[p] = r.getLong(1);
    }
    return load;
  }

  private static double[] penalties(long[] load, double capacity, double lambda) {
    double[] p = new double[load.length];
    for (int i = 0; i < load.length; i++) {
      p[i] = lambda * (1 - load[i] / capacity);
    }
    return p;
  }

  private static Column doubleArray(double[] values) {
    Column[] lits = new Column[values.length];
    for (int i = 0; i < values.length; i++) {
      lits[i] = lit(values[i]);
    }
    return functions.array(lits);
  }
}
