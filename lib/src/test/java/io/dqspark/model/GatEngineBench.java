package io.dqspark.model;

import io.dqspark.engine.Kernels;
import io.dqspark.export.GatExporter;
import io.dqspark.gnn.GraphInputs;
import io.dqspark.gnn.QuantMode;
import io.dqspark.train.Architecture;
import io.dqspark.train.NodeClassifiers;
import io.dqspark.train.TrainingOptions;
import io.dqspark.train.Variant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Times the GAT engines on an R-MAT graph, as {@code bench inference --datasets rmat-gat} builds the
 * case (a QAT INT8 GAT 64-8x8-16 given 30 full-batch Adam steps on R-MAT scale 12, random
 * features in [-1, 1]), without Spark or the jobs module: INT8 fast, INT8 exact and the FP32
 * engine, each warmed up, then timed in turns (A B C, A B C, ...) so that a shared machine's drift
 * hits them alike; best and median per engine, of wall and thread CPU time, and the median of
 * each round's FP32 / INT8 ratio. {@code fast-alt} and {@code fp32-alt} run another {@code
 * GatKernels} implementation named by {@code -Ddq.bench.kernels=CLASS} (to compare two layouts
 * in one JVM). Not a JMH harness; the graph is the Graph500 R-MAT of {@code EngineKernelBench}'s
 * kind, built here with its own generator.
 *
 * <pre>
 * mvn -B -q -o -pl lib test-compile
 * mvn -B -q -o -pl lib dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * OMP_NUM_THREADS=1 java -Xmx14g @conf/java17.args \
 *     -cp lib/target/classes:lib/target/test-classes:$(cat /tmp/cp.txt) \
 *     io.dqspark.model.GatEngineBench [scale] [repetitions] [engines, e.g. fast,exact,fp32]
 * </pre>
 */
public final class GatEngineBench {
  private GatEngineBench() {}

  public static void main(String[] args) {
    int scale = args.length > 0 ? Integer.parseInt(args[0]) : 18;
    int repetitions = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    List<String> which = Arrays.asList((args.length > 2 ? args[2] : "fast,exact,fp32").split(","));
    int width = 64;
    int classes = 16;
    long seed = 42;
    System.out.println(Kernels.description() + "; java " + System.getProperty("java.vm.version"));
    ComputationGraph net = train(width, classes, seed);
    GatModel q = GatExporter.export(net, Map.of("dataset", "rmat-gat"));
    FloatGat fp32 = GatExporter.floatModel(net);
    Graph g = rmat(scale, 16, width, seed);
    GcnGraph gg = GcnGraph.of(g.nodes, g.src, g.dst);
    System.out.printf("R-MAT scale %d: %,d nodes, %,d edges, width %d%n", scale, g.nodes,
        g.src.length, width);

    List<String> names = new ArrayList<>();
    List<Runnable> runs = new ArrayList<>();
    IntegerGat fast = new IntegerGat(q, Arithmetic.FAST);
    IntegerGat exact = new IntegerGat(q, Arithmetic.EXACT);
    for (String w : which) {
      switch (w.trim()) {
        case "fast":
          names.add("int8 " + fast.describe());
          runs.add(() -> fast.run(g.features, gg));
          break;
        case "exact":
          names.add("int8 " + exact.describe());
          runs.add(() -> exact.run(g.features, gg));
          break;
        case "fp32":
          names.add("fp32 engine, " + Kernels.fp32().name() + " kernels");
          runs.add(() -> fp32.run(g.features, gg));
          break;
        case "fast-alt":
        case "fp32-alt": {
          // another GatKernels implementation on the class path, named by -Ddq.bench.kernels
          io.dqspark.engine.GatKernels alt;
          try {
            alt = (io.dqspark.engine.GatKernels) Class.forName(System.getProperty("dq.bench.kernels"))
                .getDeclaredConstructor().newInstance();
          } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
          }
          if (w.trim().equals("fast-alt")) {
            IntegerGat a = new IntegerGat(q, Kernels.int8(), Arithmetic.FAST,
                io.dqspark.engine.FusedInt8Kernels.selected(), alt);
            names.add("int8 " + a.describe());
            runs.add(() -> a.run(g.features, gg));
          } else {
            FloatGat a = new FloatGat(fp32.layers(), Kernels.fp32(), alt);
            names.add("fp32 engine, " + alt.name() + " GAT kernels");
            runs.add(() -> a.run(g.features, gg));
          }
          break;
        }
        default:
          throw new IllegalArgumentException("engine " + w + ": fast, exact or fp32");
      }
    }
    int[] pf = fast.run(g.features, gg).predictions();
    int[] pe = exact.run(g.features, gg).predictions();
    int[] p32 = FloatGat.predictions(fp32.run(g.features, gg), fp32.classes());
    System.out.printf("same class: fast/exact %.4f, exact/fp32 %.4f, fast/fp32 %.4f%n",
        same(pf, pe), same(pe, p32), same(pf, p32));

    // wall and thread CPU time of every run: on a shared machine the CPU time leaves out the
    // time this thread waited for a core (not the cache and memory traffic of the others)
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    double[][] t = new double[runs.size()][repetitions];
    double[][] cpu = new double[runs.size()][repetitions];
    for (Runnable r : runs) {
      r.run();
    }
    for (int i = 0; i < repetitions; i++) {
      for (int e = 0; e < runs.size(); e++) {
        long c0 = mx.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        runs.get(e).run();
        t[e][i] = (System.nanoTime() - t0) / 1e9;
        cpu[e][i] = (mx.getCurrentThreadCpuTime() - c0) / 1e9;
      }
    }
    int f32 = which.indexOf("fp32");
    table("wall time", names, t, f32);
    table("thread CPU time", names, cpu, f32);
    if (f32 >= 0) {
      // each round's engines ran back to back: the median of the per-round ratios cancels the
      // shared machine's slower drifts
      System.out.println();
      for (int e = 0; e < runs.size(); e++) {
        double[] rw = new double[repetitions];
        double[] rc = new double[repetitions];
        for (int i = 0; i < repetitions; i++) {
          rw[i] = t[f32][i] / t[e][i];
          rc[i] = cpu[f32][i] / cpu[e][i];
        }
        Arrays.sort(rw);
        Arrays.sort(rc);
        System.out.printf("median of per-round ratios fp32 / %s: wall %.2fx, CPU %.2fx%n", names.get(e),
            rw[repetitions / 2], rc[repetitions / 2]);
      }
    }
    System.out.println("every run, wall (s): ");
    for (int e = 0; e < runs.size(); e++) {
      System.out.println("  " + names.get(e) + ": " + Arrays.toString(t[e]));
    }
  }

  private static void table(String what, List<String> names, double[][] t, int f32) {
    int n = t.length;
    int reps = t[0].length;
    double[] best = new double[n];
    double[] median = new double[n];
    for (int e = 0; e < n; e++) {
      double[] s = t[e].clone();
      Arrays.sort(s);
      best[e] = s[0];
      median[e] = reps % 2 == 1 ? s[reps / 2] : (s[reps / 2 - 1] + s[reps / 2]) / 2;
    }
    System.out.printf("%n%s, %d interleaved runs each%n| engine | best (s) | median (s) | fp32 best / best | fp32 median / median |%n|---|---:|---:|---:|---:|%n", what, reps);
    for (int e = 0; e < n; e++) {
      System.out.printf("| %s | %.3f | %.3f | %s | %s |%n", names.get(e), best[e], median[e],
          f32 < 0 ? "-" : String.format("%.2fx", best[f32] / best[e]),
          f32 < 0 ? "-" : String.format("%.2fx", median[f32] / median[e]));
    }
  }

  private static double same(int[] a, int[] b) {
    int n = 0;
    for (int i = 0; i < a.length; i++) {
      n += a[i] == b[i] ? 1 : 0;
    }
    return (double) n / a.length;
  }

  /** The bench's R-MAT GAT: QAT INT8, 8 ELU heads of 8 concatenated, one output head. */
  static ComputationGraph train(int width, int classes, long seed) {
    TrainingOptions o = TrainingOptions.defaults(Architecture.GAT, false);
    o.variant = new Variant(QuantMode.QAT, 8);
    o.dropout = 0;
    o.attentionDropout = 0;
    o.learningRate = 0.01;
    o.weightDecay = 0;
    o.seed = seed;
    Graph g = rmat(12, 16, width, seed + 7);
    SplittableRandom rnd = new SplittableRandom(seed);
    double[] proj = rnd.doubles((long) width * classes, -1, 1).toArray();
    float[] labels = new float[g.nodes * classes];
    for (int v = 0; v < g.nodes; v++) {
      int best = 0;
      double bestScore = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < classes; c++) {
        double s = 0;
        for (int i = 0; i < width; i++) {
          s += g.features[v * width + i] * proj[i * classes + c];
        }
        if (s > bestScore) {
          bestScore = s;
          best = c;
        }
      }
      labels[v * classes + best] = 1;
    }
    ComputationGraph net = new ComputationGraph(NodeClassifiers.build(o, width, classes, 1, true));
    net.init();
    float[][] rows = new float[g.nodes][];
    for (int v = 0; v < g.nodes; v++) {
      rows[v] = Arrays.copyOfRange(g.features, v * width, (v + 1) * width);
    }
    INDArray[] inputs = GraphInputs.of(rows, g.src, g.dst, null, 0, DataType.FLOAT);
    org.nd4j.linalg.dataset.MultiDataSet data = GraphInputs.example(inputs,
        Nd4j.create(labels, new long[] {g.nodes, classes}), Nd4j.ones(DataType.FLOAT, g.nodes, 1));
    for (int step = 0; step < 30; step++) {
      net.fit(data);
    }
    return net;
  }

  record Graph(int nodes, int[] src, int[] dst, float[] features) {}

  /** Graph500 R-MAT (a, b, c = 0.57, 0.19, 0.19), node ids shuffled; features uniform in [-1, 1]. */
  static Graph rmat(int scale, int edgeFactor, int width, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
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
        s = (s << 1) | (r < 0.76 ? 0 : 1);
        d = (d << 1) | (r < 0.57 || (r >= 0.76 && r < 0.95) ? 0 : 1);
      }
      src[e] = perm[s];
      dst[e] = perm[d];
    }
    float[] x = new float[nodes * width];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rnd.nextDouble(-1, 1);
    }
    return new Graph(nodes, src, dst, x);
  }
}
