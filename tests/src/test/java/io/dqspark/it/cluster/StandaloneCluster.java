package io.dqspark.it.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real Spark standalone cluster on 127.0.0.1 for tests: one Master and N Worker JVMs (1 core
 * each) started from a temporary {@link SparkHome}, plus drivers run through Spark's own
 * {@code SparkSubmit} in their own JVMs with the project's cluster jar. Executors are therefore
 * separate JVMs that see our code only through that jar. Everything is killed on {@link #close()}
 * (and by a shutdown hook if the test JVM dies first).
 *
 * <p>Start-up takes about 10 s; share one cluster per test class ({@link StandaloneClusterExtension}).
 */
public final class StandaloneCluster implements AutoCloseable {
  private static final Pattern MASTER_URL = Pattern.compile("Starting Spark master at (spark://\\S+)");
  private static final Pattern REGISTERED = Pattern.compile("Successfully registered with master");
  private static final String EXECUTOR_MAIN = "org.apache.spark.executor.CoarseGrainedExecutorBackend";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final Path dir;
  private final SparkHome spark;
  private final JvmProcess master;
  private final String masterUrl;
  private final List<JvmProcess> workers;
  private final List<JvmProcess> drivers = new ArrayList<>();
  private final AtomicInteger submits = new AtomicInteger();
  private final Thread shutdownHook;

  private StandaloneCluster(Path dir, SparkHome spark, JvmProcess master, String masterUrl,
      List<JvmProcess> workers) {
    this.dir = dir;
    this.spark = spark;
    this.master = master;
    this.masterUrl = masterUrl;
    this.workers = workers;
    this.shutdownHook = new Thread(this::stopProcesses, "dq-standalone-cluster-teardown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts a master and {@code workers} workers of 1 core and {@code workerMemory} (e.g.
   * {@code "1536m"}) each, and waits until every worker has registered.
   */
  public static StandaloneCluster start(int workers, String workerMemory) {
    Path dir;
    try {
      dir = Files.createTempDirectory("dq-standalone-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    SparkHome spark = SparkHome.assemble(dir.resolve("spark-home"));
    List<JvmProcess> started = new ArrayList<>();
    try {
      JvmProcess master = JvmProcess.start("master", spark.javaCommand("512m", List.of(),
          "org.apache.spark.deploy.master.Master",
          List.of("--host", "127.0.0.1", "--port", "0", "--webui-port", "0")),
          spark.environment(), dir.resolve("master.log"));
      started.add(master);
      String url = master.awaitLog(MASTER_URL, START_TIMEOUT).group(1);
      List<JvmProcess> ws = new ArrayList<>();
      for (int i = 0; i < workers; i++) {
        Path work = Files.createDirectories(dir.resolve("work-" + i));
        JvmProcess w = JvmProcess.start("worker-" + i, spark.javaCommand("512m", List.of(),
            "org.apache.spark.deploy.worker.Worker",
            List.of(url, "--host", "127.0.0.1", "--cores", "1", "--memory", workerMemory,
                "--webui-port", "0", "--work-dir", work.toString())),
            spark.environment(), dir.resolve("worker-" + i + ".log"));
        started.add(w);
        ws.add(w);
      }
      for (JvmProcess w : ws) {
        w.awaitLog(REGISTERED, START_TIMEOUT);
      }
      return new StandaloneCluster(dir, spark, master, url, ws);
    } catch (IOException | RuntimeException e) {
      StringBuilder logs = new StringBuilder();
      for (JvmProcess p : started) {
        p.close();
        logs.append("\n--- ").append(p.name()).append(" (").append(p.logFile()).append(") ---\n")
            .append(p.logTail(30));
      }
      throw new IllegalStateException("the standalone cluster did not start: " + e.getMessage()
          + logs, e);
    }
  }

  public String masterUrl() { return masterUrl; }
  public SparkHome sparkHome() { return spark; }
  /** A fresh folder under the cluster's temporary directory, for a test's inputs and outputs. */
  public Path newFolder(String name) {
    try {
      return Files.createDirectories(dir.resolve("data").resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The executor JVMs alive now (children of the workers), by executor id. */
  public Map<String, ProcessHandle> executors() {
    Map<String, ProcessHandle> out = new LinkedHashMap<>();
    for (JvmProcess w : workers) {
      w.handle().descendants().forEach(h -> {
        String cmd = h.info().commandLine().orElse("");
        if (cmd.contains(EXECUTOR_MAIN)) {
          Matcher m = Pattern.compile("--executor-id (\\S+)").matcher(cmd);
          out.put(m.find() ? m.group(1) : "pid-" + h.pid(), h);
        }
      });
    }
    return out;
  }

  /** Waits until at least {@code count} executor JVMs run (a job's executors start with it). */
  public Map<String, ProcessHandle> awaitExecutors(int count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Map<String, ProcessHandle> now = executors();
      if (now.size() >= count) {
        return now;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(now.size() + " executor(s) after " + timeout + ", wanted "
            + count + "; worker logs:\n" + workerLogTails(20));
      }
      JvmProcess.sleep(100);
    }
  }

  /** Kills one executor JVM with SIGKILL (a crashed machine, for failure tests); its id. */
  public String killExecutor(String executorId) {
    ProcessHandle h = executors().get(executorId);
    if (h == null) {
      throw new IllegalArgumentException("no executor " + executorId + "; running: " + executors().keySet());
    }
    h.destroyForcibly();
    h.onExit().join();
    return executorId;
  }

  /**
   * Starts a driver JVM: {@code SparkSubmit --master URL --class mainClass [--conf k=v]
   * clusterJar args}. Defaults give executors 1 GB and the Vector API module; {@code conf}
   * overrides them. The caller waits on (or kills) the returned process.
   */
  public JvmProcess startDriver(String mainClass, List<String> args, Map<String, String> conf) {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("spark.executor.memory", "1g");
    c.put("spark.executor.cores", "1");
    c.put("spark.executor.extraJavaOptions", "--add-modules=jdk.incubator.vector");
    c.put("spark.driver.host", "127.0.0.1");
    c.put("spark.driver.bindAddress", "127.0.0.1");
    c.put("spark.ui.enabled", "false");
    c.put("spark.sql.shuffle.partitions", "8");
    c.putAll(conf);
    List<String> submit = new ArrayList<>(List.of("--master", masterUrl, "--deploy-mode", "client",
        "--class", mainClass));
    c.forEach((k, v) -> submit.addAll(List.of("--conf", k + "=" + v)));
    submit.add(spark.clusterJar().toString());
    submit.addAll(args);
    int n = submits.incrementAndGet();
    JvmProcess driver = JvmProcess.start("driver-" + n, spark.javaCommand("1g",
        List.of("-Dlog4j2.configurationFile=" + spark.repoRoot().resolve("conf/log4j2.properties")),
        "org.apache.spark.deploy.SparkSubmit", submit), spark.environment(),
        dir.resolve("driver-" + n + ".log"));
    synchronized (drivers) {
      drivers.add(driver);
    }
    return driver;
  }

  /** What a finished driver returned and printed. */
  public record Submitted(int exitCode, String output, Path log) {}

  /** Runs a driver to its end (see {@link #startDriver}). */
  public Submitted submit(String mainClass, List<String> args, Map<String, String> conf,
      Duration timeout) {
    JvmProcess driver = startDriver(mainClass, args, conf);
    int code = driver.waitFor(timeout);
    return new Submitted(code, driver.log(), driver.logFile());
  }

  /** The worker logs' last lines (executor launch and loss are logged there), for messages. */
  public String workerLogTails(int lines) {
    StringBuilder sb = new StringBuilder();
    for (JvmProcess w : workers) {
      sb.append("--- ").append(w.name()).append(" (").append(w.logFile()).append(") ---\n")
          .append(w.logTail(lines)).append('\n');
    }
    return sb.toString();
  }

  private void stopProcesses() {
    synchronized (drivers) {
      drivers.forEach(JvmProcess::close);
    }
    workers.forEach(JvmProcess::close);
    master.close();
  }

  /** Kills drivers, workers with their executors, and the master; removes the temporary files. */
  @Override
  public void close() {
    stopProcesses();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the hook runs anyway
    }
    if (!Boolean.getBoolean("dq.cluster.keep")) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // best effort: the folder is under the system temp directory
      }
    }
  }
}
