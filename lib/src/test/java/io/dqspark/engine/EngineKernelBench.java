package io.dqspark.engine;

import io.dqspark.quant.FakeQuantizer;
import io.dqspark.quant.FixedPointMultiplier;
import io.dqspark.quant.QuantParams;
import java.util.SplittableRandom;

/**
 * Times the int8 kernels against their FP32 twins on one GCN-like layer over an R-MAT graph
 * (default scale 20: 1M nodes, 16 edges per node, width 64): every kernel runs twice to warm up,
 * then the best of 5 interleaved rounds is kept. Not a JMH harness: run it in several JVMs, since a kernel sometimes
 * compiles much slower for a whole JVM (design §5).
 *
 * <pre>
 * mvn -B -q -o -pl lib test-compile
 * java -Xmx8g @conf/java17.args -cp lib/target/classes:lib/target/test-classes \
 *     io.dqspark.engine.EngineKernelBench [scale] [edgeFactor] [width]
 * </pre>
 */
public final class EngineKernelBench {
  private static final int WARMUP = 2;
  private static final int RUNS = 5;

  private EngineKernelBench() {}

  public static void main(String[] args) {
    int scale = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int edgeFactor = args.length > 1 ? Integer.parseInt(args[1]) : 16;
    int width = args.length > 2 ? Integer.parseInt(args[2]) : 64;
    int nodes = 1 << scale;
    SplittableRandom rnd = new SplittableRandom(2024);

    long t0 = System.nanoTime();
    CsrAdjacency adj = rmatInEdges(rnd, scale, edgeFactor);
    System.out.printf("R-MAT scale %d: %,d nodes, %,d edges, max in-degree %,d (%.1f s to build)%n",
        scale, nodes, adj.edges(), maxDegree(adj), (System.nanoTime() - t0) / 1e9);
    System.out.println(Kernels.description() + "; java " + System.getProperty("java.vm.version")
        + "; load average at start " + loadAverage());

    // Layer input: int8 codes and the float values they stand for.
    QuantParams xp = QuantParams.fromRange(8, true, -2.0, 3.0);
    byte[] xq = new byte[nodes * width];
    float[] xf = new float[nodes * width];
    for (int i = 0; i < xq.length; i++) {
      xq[i] = (byte) rnd.nextInt(-128, 128);
      xf[i] = FakeQuantizer.dequantize(xp, xq[i]);
    }
    QuantParams wp = QuantParams.fromRange(8, true, -0.3, 0.25);
    byte[] wq = new byte[width * width];
    float[] wf = new float[width * width];
    for (int i = 0; i < wq.length; i++) {
      wq[i] = (byte) rnd.nextInt(-128, 128);
      wf[i] = FakeQuantizer.dequantize(wp, wq[i]);
    }
    Int8DenseWeights w8 = Int8DenseWeights.pack(wq, width, width, wp.zeroPoint(), new int[width], xp.zeroPoint());
    FloatDenseWeights w32 = FloatDenseWeights.pack(wf, width, width, new float[width]);
    // GCN normalisation coefficients 1/sqrt((d_v + 1)(d_u + 1)), float and int8.
    float[] coef = gcnCoefficients(adj);
    QuantParams cp = QuantParams.fromRange(8, true, 0, 1);
    byte[] coefQ = new byte[coef.length];
    for (int e = 0; e < coef.length; e++) {
      coefQ[e] = (byte) FakeQuantizer.quantize(cp, coef[e]);
    }
    Requantizer rqDense = Requantizer.of(FixedPointMultiplier.of(1.0 / 64), 0, -128, 127, false);
    Requantizer rqAgg = Requantizer.of(FixedPointMultiplier.of(1.0 / 256), -128, -128, 127, true);

    Int8Kernels i8 = Kernels.int8();
    FloatKernels f32 = Kernels.fp32();
    int[] acc = new int[nodes * width];
    byte[] h8 = new byte[nodes * width];
    byte[] y8 = new byte[nodes * width];
    float[] h32 = new float[nodes * width];
    float[] y32 = new float[nodes * width];

    String[] names = {
        "fp32 dense",
        "int8 dense -> int32",
        "int8 dense + requantize -> int8",
        "fp32 aggregation (sum)",
        "int8 aggregation (sum) -> int32",
        "int8 aggregation (sum) + requantize -> int8",
        "fp32 aggregation (GCN weights)",
        "int8 aggregation (GCN weights) -> int32",
        "int8 aggregation (GCN weights) + requantize"};
    Runnable[] kernels = {
        () -> f32.dense(xf, nodes, w32, h32),
        () -> i8.dense(xq, nodes, w8, acc),
        () -> i8.denseRequantize(xq, nodes, w8, rqDense, h8),
        () -> f32.aggregate(adj, null, h32, width, y32),
        () -> i8.aggregate(adj, null, 0, h8, width, 0, acc),
        () -> i8.aggregateRequantize(adj, null, 0, h8, width, 0, rqAgg, y8),
        () -> f32.aggregate(adj, coef, h32, width, y32),
        () -> i8.aggregate(adj, coefQ, cp.zeroPoint(), h8, width, 0, acc),
        () -> i8.aggregateRequantize(adj, coefQ, cp.zeroPoint(), h8, width, 0, rqAgg, y8)};
    double[] best = bestTimes(names, kernels);
    System.out.printf("%-44s %9s%n", "kernel (best of " + RUNS + ")", "ms");
    for (int i = 0; i < names.length; i++) {
      System.out.printf("%-44s %9.1f%n", names[i], best[i]);
    }
    double dF = best[0], dI = best[1], dIR = best[2];
    double aF = best[3], aI = best[4], aIR = best[5];
    double gF = best[6], gI = best[7], gIR = best[8];

    System.out.println("speed-up of int8 over fp32 (fp32 time / int8 time):");
    System.out.printf("  dense:                     %.2fx (int32 out)  %.2fx (requantized int8 out)%n", dF / dI, dF / dIR);
    System.out.printf("  aggregation, sum:          %.2fx (int32 out)  %.2fx (requantized int8 out)%n", aF / aI, aF / aIR);
    System.out.printf("  aggregation, GCN weights:  %.2fx (int32 out)  %.2fx (requantized int8 out)%n", gF / gI, gF / gIR);
    System.out.printf("  GCN layer (dense + weighted aggregation, int8 fused):  %.2fx%n", (dF + gF) / (dIR + gIR));
  }

  /**
   * {@link #WARMUP} rounds, then {@link #RUNS} timed rounds, each running every kernel once; the
   * best timed run per kernel in milliseconds ({@code -Ddq.bench.verbose=true} prints every run). Interleaving keeps a change in machine load (these
   * machines are shared) from favouring whichever kernel happened to run in a quiet moment.
   */
  private static double[] bestTimes(String[] names, Runnable[] kernels) {
    boolean verbose = Boolean.getBoolean("dq.bench.verbose"); // every run, e.g. between GC log lines
    double[] best = new double[kernels.length];
    java.util.Arrays.fill(best, Double.MAX_VALUE);
    for (int r = -WARMUP; r < RUNS; r++) {
      for (int i = 0; i < kernels.length; i++) {
        long t = System.nanoTime();
        kernels[i].run();
        double ms = (System.nanoTime() - t) / 1e6;
        if (r >= 0) {
          best[i] = Math.min(best[i], ms);
        }
        if (verbose) {
          System.out.printf("  %s %s: %.1f ms%n", r < 0 ? "warm-up" : "run " + r, names[i], ms);
        }
      }
    }
    return best;
  }

  /**
   * R-MAT edges (Graph500: a = 0.57, b = c = 0.19), vertex ids scrambled by a random permutation
   * as Graph500 does (so hubs are not clustered at low ids), as in-neighbour CSR. Self-loops and
   * repeated edges are kept: they cost the kernels the same as any edge.
   */
  static CsrAdjacency rmatInEdges(SplittableRandom rnd, int scale, int edgeFactor) {
    int nodes = 1 << scale;
    int edges = nodes * edgeFactor;
    int[] perm = new int[nodes];
    for (int i = 0; i < nodes; i++) {
      perm[i] = i;
    }
    for (int i = nodes - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    int[] src = new int[edges];
    int[] dst = new int[edges];
    for (int e = 0; e < edges; e++) {
      int s = 0;
      int d = 0;
      for (int level = 0; level < scale; level++) {
        double r = rnd.nextDouble();
        int bitS = r < 0.57 + 0.19 ? 0 : 1; // quadrants a, b keep the source bit 0
        int bitD = r < 0.57 || (r >= 0.76 && r < 0.95) ? 0 : 1; // a, c keep the target bit 0
        s = (s << 1) | bitS;
        d = (d << 1) | bitD;
      }
      src[e] = perm[s];
      dst[e] = perm[d];
    }
    int[] rowPtr = new int[nodes + 1];
    for (int e = 0; e < edges; e++) {
      rowPtr[dst[e] + 1]++;
    }
    for (int v = 0; v < nodes; v++) {
      rowPtr[v + 1] += rowPtr[v];
    }
    int[] fill = rowPtr.clone();
    int[] colIdx = new int[edges];
    for (int e = 0; e < edges; e++) {
      colIdx[fill[dst[e]]++] = src[e];
    }
    return CsrAdjacency.of(rowPtr, colIdx, nodes);
  }

  private static float[] gcnCoefficients(CsrAdjacency adj) {
    int[] rowPtr = adj.rowPtr();
    float[] c = new float[adj.edges()];
    for (int v = 0; v < adj.targets(); v++) {
      for (int e = rowPtr[v]; e < rowPtr[v + 1]; e++) {
        int u = adj.colIdx()[e];
        double du = rowPtr[u + 1] - rowPtr[u] + 1.0;
        double dv = rowPtr[v + 1] - rowPtr[v] + 1.0;
        c[e] = (float) (1.0 / Math.sqrt(du * dv));
      }
    }
    return c;
  }

  private static String loadAverage() {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
    } catch (java.io.IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static int maxDegree(CsrAdjacency adj) {
    int max = 0;
    for (int v = 0; v < adj.targets(); v++) {
      max = Math.max(max, adj.rowPtr()[v + 1] - adj.rowPtr()[v]);
    }
    return max;
  }
}
