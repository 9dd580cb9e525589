package io.dqspark.jobs.score;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.StageInfo;
import org.apache.spark.storage.RDDInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spark's own account of one scoring run, so that {@code scores.json} reports measured times and
 * shuffle bytes rather than estimates. A listener records every completed stage of the jobs the
 * run submits (they carry a local property of the driver thread) with its wall time and its
 * tasks' shuffle write and read bytes, labelled by the last named RDD it computed: {@link
 * PartitionedNodeScorer} names the RDD that ends each stage ({@link #INPUT}, {@link #layer}).
 *
 * <p>Listener events arrive asynchronously; {@link #finish} runs a one-task marker job and waits
 * for its start event, which Spark delivers after every event of the jobs before it.
 */
public final class ScoringStages extends SparkListener implements AutoCloseable {
  static final String PREFIX = "dq-score: ";
  /** The vertices' features keyed by part (read once, the same for both engines). */
  static final String FEATURES = PREFIX + "features";
  /** The per-part graphs (built once per run). */
  static final String PART_GRAPHS = PREFIX + "part graphs";
  /** Layer 0's input rows, prepared per part and sent to the parts that need them. */
  static final String INPUT = PREFIX + "input";

  private static final Logger LOG = LoggerFactory.getLogger(ScoringStages.class);
  private static final String RUN = "dq.score.run";
  private static final String MARKER = "dq.score.marker";

  private final SparkContext sc;
  private final String run = UUID.randomUUID().toString();
  private final Set<Integer> stageIds = ConcurrentHashMap.newKeySet();
  private final List<ScoringMetrics.Stage> stages = Collections.synchronizedList(new ArrayList<>());
  private final CountDownLatch marker = new CountDownLatch(1);
  private boolean closed;

  private ScoringStages(SparkContext sc) {
    this.sc = sc;
  }

  /** The label of layer {@code li}'s pass (its stage also sends the rows the next layer reads). */
  static String layer(int li) {
    return PREFIX + "layer " + li;
  }

  /** Starts recording the jobs this thread submits from now on. */
  public static ScoringStages start(SparkContext sc) {
    ScoringStages s = new ScoringStages(sc);
    sc.addSparkListener(s);
    sc.setLocalProperty(RUN, s.run);
    return s;
  }

  /** Waits until Spark has reported every stage of the run, stops recording and sums them. */
  public ScoringMetrics finish() {
    long start = System.nanoTime();
    sc.setLocalProperty(MARKER, "1");
    try {
      JavaSparkContext.fromSparkContext(sc).parallelize(List.of(0), 1).count();
    } finally {
      sc.setLocalProperty(MARKER, null);
    }
    try {
      if (!marker.await(2, TimeUnit.MINUTES)) {
        throw new IllegalStateException("Spark did not deliver the scoring run's stage events within 2 minutes");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Spark's stage events", e);
    } finally {
      close();
    }
    LOG.info("scoring stage metrics: {} stages, gathered in {} s", stages.size(),
        String.format("%.2f", (System.nanoTime() - start) / 1e9));
    synchronized (stages) {
      return new ScoringMetrics(List.copyOf(stages));
    }
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      sc.setLocalProperty(RUN, null);
      sc.removeSparkListener(this);
    }
  }

  @Override
  public void onJobStart(SparkListenerJobStart e) {
    if (e.properties() == null || !run.equals(e.properties().getProperty(RUN))) {
      return;
    }
    if (e.properties().getProperty(MARKER) != null) {
      marker.countDown();
      return;
    }
    scala.collection.Iterator<Object> ids = e.stageIds().iterator();
    while (ids.hasNext()) {
      stageIds.add((Integer) ids.next());
    }
  }

  @Override
  public void onStageCompleted(SparkListenerStageCompleted e) {
    StageInfo s = e.stageInfo();
    if (!stageIds.contains(s.stageId())) {
      return;
    }
    double seconds = s.submissionTime().isDefined() && s.completionTime().isDefined()
        ? ((Long) s.completionTime().get() - (Long) s.submissionTime().get()) / 1000.0 : 0.0;
    TaskMetrics m = s.taskMetrics();
    long written = m == null ? 0 : m.shuffleWriteMetrics().bytesWritten();
    long read = m == null ? 0 : m.shuffleReadMetrics().totalBytesRead();
    stages.add(new ScoringMetrics.Stage(s.stageId(), label(s), seconds, written, read));
  }

  /** The name of the newest of our named RDDs in the stage (its last step), or "other". */
  private static String label(StageInfo s) {
    String label = "other";
    int newest = -1;
    scala.collection.Iterator<RDDInfo> rdds = s.rddInfos().iterator();
    while (rdds.hasNext()) {
      RDDInfo r = rdds.next();
      if (r.name() != null && r.name().startsWith(PREFIX) && r.id() > newest) {
        newest = r.id();
        label = r.name();
      }
    }
    return label;
  }
}
