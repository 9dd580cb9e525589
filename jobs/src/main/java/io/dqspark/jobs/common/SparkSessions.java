package io.dqspark.jobs.common;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the job's SparkSession. Under spark-submit the master and settings come from the
 * submit command; run directly (bin/dq, tests) it falls back to local mode on every core.
 */
public final class SparkSessions {
  private SparkSessions() {}

  public static SparkSession getOrCreate(String appName) {
    SparkConf conf = new SparkConf(true);
    if (!conf.contains("spark.master")) {
      conf.setMaster("local[*]");
    }
    conf.setIfMissing("spark.app.name", appName);
    // Small graphs are the common interactive case; AQE coalesces shuffle partitions for them
    // and keeps enough partitions for R-MAT-sized inputs.
    conf.setIfMissing("spark.sql.adaptive.enabled", "true");
    conf.setIfMissing("spark.sql.adaptive.coalescePartitions.enabled", "true");
    conf.setIfMissing("spark.ui.showConsoleProgress", "false");
    return SparkSession.builder().config(conf).getOrCreate();
  }
}
