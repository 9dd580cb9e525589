package io.dqspark.it.cluster;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link StandaloneCluster} per test class, started before its first test and torn down after
 * its last:
 * <pre>
 *   {@literal @}RegisterExtension
 *   static final StandaloneClusterExtension SPARK = new StandaloneClusterExtension(2, "1536m");
 *   ... SPARK.cluster().submit(...)
 * </pre>
 */
public final class StandaloneClusterExtension implements BeforeAllCallback, AfterAllCallback {
  private final int workers;
  private final String workerMemory;
  private StandaloneCluster cluster;

  public StandaloneClusterExtension(int workers, String workerMemory) {
    this.workers = workers;
    this.workerMemory = workerMemory;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    cluster = StandaloneCluster.start(workers, workerMemory);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (cluster != null) {
      cluster.close();
      cluster = null;
    }
  }

  public StandaloneCluster cluster() {
    if (cluster == null) {
      throw new IllegalStateException("the cluster runs only between @BeforeAll and @AfterAll of its class");
    }
    return cluster;
  }
}
