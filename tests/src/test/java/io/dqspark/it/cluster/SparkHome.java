package io.dqspark.it.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A temporary Spark installation made of the Maven-resolved jars (design §6): {@code jars/} holds
 * links to Spark and the third-party jars it needs, and none of this project's classes, so
 * executors run our code only from the submitted cluster jar, as on a real cluster.
 *
 * <p>Which jars: the tests module's test classpath (written by the build to {@code
 * target/test-classpath.txt}) minus this project's outputs, the test-only libraries and the
 * DL4J/ND4J/JavaCPP/picocli stack, which therefore also comes only from the cluster jar. Other
 * third-party jars stay even when the cluster jar bundles them too: a flat classpath cannot tell
 * Spark's dependencies from libraries both sides share (commons-lang3, Jackson, ...), and Spark
 * itself needs them on the system classpath.
 */
public final class SparkHome {
  /**
   * This project's jars (as resolved from the local repository when a module is built alone),
   * test-only libraries, and the application stack the cluster jar alone must provide.
   */
  private static final List<String> NOT_SPARK = List.of("/io/dqspark/", "/org/junit/", "/org/opentest4j/",
      "/org/apiguardian/", "/hadoop-client-minicluster/", "/org/deeplearning4j/", "/org/nd4j/",
      "/org/bytedeco/", "/org/datavec/", "/info/picocli/", "/io/graphframes/");

  private final Path home;
  private final Path repoRoot;
  private final Path clusterJar;

  private SparkHome(Path home, Path repoRoot, Path clusterJar) {
    this.home = home;
    this.repoRoot = repoRoot;
    this.clusterJar = clusterJar;
  }

  /** Builds the installation under {@code dir} from the paths the tests module's build passes. */
  public static SparkHome assemble(Path dir) {
    Path repoRoot = Path.of(required("dq.repo.root")).toAbsolutePath().normalize();
    Path clusterJar = Path.of(required("dq.cluster.jar"));
    Path testClasspath = Path.of(required("dq.test.classpath"));
    for (Path p : List.of(clusterJar, testClasspath)) {
      if (!Files.isRegularFile(p)) {
        throw new IllegalStateException(p + " is missing: the tests module's build makes it "
            + "(run the tests through Maven: mvn -pl tests -am test)");
      }
    }
    try {
      Path jars = Files.createDirectories(dir.resolve("jars"));
      int linked = 0;
      for (String entry : classpath(testClasspath)) {
        Path jar = Path.of(entry).toAbsolutePath().normalize();
        if (!entry.endsWith(".jar") || jar.startsWith(repoRoot)
            || NOT_SPARK.stream().anyMatch(entry::contains)) {
          continue;
        }
        Path link = jars.resolve(jar.getFileName());
        if (!Files.exists(link)) {
          Files.createSymbolicLink(link, jar);
          linked++;
        }
      }
      if (linked == 0) {
        throw new IllegalStateException("no Spark jars found in " + testClasspath);
      }
      // Spark's launcher looks for this folder (or SPARK_SCALA_VERSION) to pick the Scala version.
      Files.createDirectories(dir.resolve("launcher/target/scala-2.12"));
      return new SparkHome(dir, repoRoot, clusterJar);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot assemble SPARK_HOME in " + dir, e);
    }
  }

  private static String required(String property) {
    String v = System.getProperty(property);
    if (v == null || v.isBlank()) {
      throw new IllegalStateException("system property " + property + " is not set: the tests "
          + "module's surefire configuration passes it (run through Maven)");
    }
    return v;
  }

  private static List<String> classpath(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8).trim();
    return text.isEmpty() ? List.of() : Arrays.asList(text.split(java.io.File.pathSeparator));
  }

  public Path home() { return home; }
  public Path repoRoot() { return repoRoot; }
  /** The jobs module's shaded jar (cluster-jar profile), the application jar of every submit. */
  public Path clusterJar() { return clusterJar; }

  /** Classpath of a Spark daemon or driver JVM: the installation's jars only. */
  public String classpath() {
    return home.resolve("jars") + "/*";
  }

  /** The environment every Spark process of the cluster gets. */
  public Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SPARK_HOME", home.toString());
    env.put("SPARK_SCALA_VERSION", "2.12");
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("SPARK_LOCAL_DIRS", home.resolve("local").toString());
    return env;
  }

  /** {@code java -XmxM @conf/java17.args -cp SPARK_HOME/jars/* mainClass}: a JVM of the cluster. */
  public List<String> javaCommand(String heap, List<String> extraJvmArgs, String mainClass,
      List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + heap);
    cmd.add("@" + repoRoot.resolve("conf/java17.args"));
    cmd.addAll(extraJvmArgs);
    cmd.add("-cp");
    cmd.add(classpath());
    cmd.add(mainClass);
    cmd.addAll(args);
    return cmd;
  }
}
