package io.dqspark.jobs.common;

import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pipeline stage run as a Spark job. It tags its Spark jobs with the stage's name (so the
 * Spark UI reads like the pipeline) and reports its wall time. The session is reused when one
 * exists (tests, notebooks) and stopped by the process entry point, not here.
 */
public abstract class SparkJob implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(SparkJob.class);

  /** Short stage name: ingest, stats, partition, ... */
  protected abstract String stage();

  protected abstract void run(SparkSession spark) throws Exception;

  @Override
  public final Integer call() throws Exception {
    SparkSession spark = SparkSessions.getOrCreate("dq " + stage());
    spark.sparkContext().setJobGroup(stage(), "degree-quant-spark: " + stage(), false);
    long start = System.nanoTime();
    try {
      run(spark);
    } finally {
      spark.sparkContext().clearJobGroup();
    }
    LOG.info("{} finished in {} s", stage(), String.format("%.1f", (System.nanoTime() - start) / 1e9));
    return 0;
  }
}
