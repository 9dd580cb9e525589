package io.dqspark.gnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * A training graph whose message tensor does not fit the heap fails with {@link
 * GraphTooLargeException}, naming its size and key, instead of an OutOfMemoryError that would
 * kill a Spark executor: a child JVM with a 128 MB heap trains a GCN vertex on a graph of 300,000
 * edges at width 64 (150 MB of double messages alone).
 */
class GcnVertexHeapTest {
  static final int NODES = 20_000;
  static final int EDGES = 300_000;
  static final long KEY = 4242;

  /** The child JVM: one DQ training step; prints the exception's class and message. */
  public static void main(String[] args) {
    Random r = new Random(5);
    float[][] x = new float[NODES][4];
    for (float[] row : x) {
      for (int j = 0; j < row.length; j++) {
        row[j] = r.nextFloat();
      }
    }
    int[] src = new int[EDGES];
    int[] dst = new int[EDGES];
    for (int e = 0; e < EDGES; e++) {
      src[e] = r.nextInt(NODES);
      dst[e] = (src[e] + 1 + r.nextInt(NODES - 1)) % NODES; // no self-loops: the layer adds one per node
    }
    INDArray[] in = GraphInputs.of(x, src, dst, new double[NODES], KEY, DataType.FLOAT);
    Vertices<GcnVertexImpl> v = Vertices.of(new GcnVertex(4, 64, true, 0.0, new NoOp())
        .quantization(QuantMode.DQ, 8), DataType.FLOAT);
    try {
      v.trainStep(in, in[GraphInputs.FEATURES]);
      System.out.println("trained");
    } catch (RuntimeException e) {
      System.out.println(e.getClass().getName() + ": " + e.getMessage());
      // Spark's executor kills its JVM when a fatal error is among the first causes
      System.out.println("fatal causes: " + fatalCauses(e));
    }
  }

  private static int fatalCauses(Throwable e) {
    int n = 0;
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      n += t instanceof Error ? 1 : 0;
    }
    return n;
  }

  @Test
  void aGraphTooLargeForTheHeapIsAnErrorNamingItsSize() throws Exception {
    String root = Paths.get(System.getProperty("dq.repo.root", ".")).toAbsolutePath().toString();
    List<String> cmd = List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx128m", "@" + Paths.get(root, "conf", "java17.args"), "-cp", System.getProperty("java.class.path"),
        GcnVertexHeapTest.class.getName());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "child JVM did not finish");
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains(GraphTooLargeException.class.getName() + ": " + GraphTooLargeException.MARK
        + "20,000 nodes and 320,000 edges (graph key " + KEY + ") does not fit this JVM's heap: layer 'gcn'"), out);
    assertTrue(out.contains("320,000 x 64 message tensor, the heap is "), out);
    assertTrue(out.contains("fatal causes: 0"), out);
  }
}
