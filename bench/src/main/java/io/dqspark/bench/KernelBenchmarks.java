package io.dqspark.bench;

import io.dqspark.engine.CsrAdjacency;
import io.dqspark.engine.FloatDenseWeights;
import io.dqspark.engine.FloatKernels;
import io.dqspark.engine.Int8DenseWeights;
import io.dqspark.engine.Int8Kernels;
import io.dqspark.engine.Kernels;
import io.dqspark.engine.Requantizer;
import io.dqspark.quant.FixedPointMultiplier;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One GCN layer's kernels on an R-MAT graph, int8 against FP32: the dense product (int8 on
 * oneDNN or on the pure-Java kernels) and the aggregation over in-edges (int8: fused message
 * requantization and sum; FP32: weighted sum). Several forks, since a kernel sometimes compiles
 * much slower for a whole JVM (design §5).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx8g"})
public class KernelBenchmarks {
  @Param({"18"})
  int scale;

  @Param({"64"})
  int width;

  /** {@code dnnl}: oneDNN dense product; {@code java}: the Vector API kernels. */
  @Param({"dnnl", "java"})
  String int8Backend;

  private Int8Kernels int8;
  private FloatKernels fp32;
  private CsrAdjacency adj;
  private byte[] x8;
  private float[] x32;
  private byte[] edgeCodes;
  private float[] edgeWeights;
  private Int8DenseWeights w8;
  private FloatDenseWeights w32;
  private Requantizer rq;
  private byte[] out8;
  private int[] sums;
  private float[] out32;

  @Setup(Level.Trial)
  public void setUp() {
    int8 = int8Backend.equals("dnnl")
        ? Kernels.nativeInt8().orElseThrow(() -> new IllegalStateException(Kernels.description()))
        : Kernels.javaInt8();
    fp32 = Kernels.fp32();
    RmatInput g = new RmatInput(scale, width, 2024);
    int n = g.nodes;
    int[] rowPtr = new int[n + 1];
    for (int d : g.dst) {
      rowPtr[d + 1]++;
    }
    for (int v = 0; v < n; v++) {
      rowPtr[v + 1] += rowPtr[v];
    }
    int[] next = rowPtr.clone();
    int[] colIdx = new int[g.src.length];
    for (int e = 0; e < g.src.length; e++) {
      colIdx[next[g.dst[e]]++] = g.src[e];
    }
    adj = CsrAdjacency.of(rowPtr, colIdx, n);
    SplittableRandom rnd = new SplittableRandom(7);
    x8 = new byte[n * width];
    x32 = new float[n * width];
    for (int i = 0; i < x8.length; i++) {
      x8[i] = (byte) rnd.nextInt(-128, 128);
      x32[i] = x8[i] / 64f;
    }
    edgeCodes = new byte[colIdx.length];
    edgeWeights = new float[colIdx.length];
    for (int e = 0; e < colIdx.length; e++) {
      edgeCodes[e] = (byte) rnd.nextInt(-128, 128);
      edgeWeights[e] = (edgeCodes[e] + 128) / 255f;
    }
    byte[] w = new byte[width * width];
    float[] wf = new float[w.length];
    for (int i = 0; i < w.length; i++) {
      w[i] = (byte) rnd.nextInt(-128, 128);
      wf[i] = w[i] / 256f;
    }
    w8 = Int8DenseWeights.pack(w, width, width, 3, new int[width], -5);
    w32 = FloatDenseWeights.pack(wf, width, width, new float[width]);
    rq = Requantizer.of(FixedPointMultiplier.of(1.0 / 300), 0, -128, 127, false);
    out8 = new byte[n * width];
    sums = new int[n * width];
    out32 = new float[n * width];
  }

  @Benchmark
  public byte[] int8DenseRequantize() {
    int8.denseRequantize(x8, adj.targets(), w8, rq, out8);
    return out8;
  }

  @Benchmark
  public float[] fp32Dense() {
    fp32.dense(x32, adj.targets(), w32, out32);
    return out32;
  }

  @Benchmark
  public int[] int8MessageSum() {
    int8.messageSum(adj, edgeCodes, -128, x8, width, 0, rq, sums);
    return sums;
  }

  @Benchmark
  public float[] fp32WeightedAggregate() {
    fp32.aggregate(adj, edgeWeights, x32, width, out32);
    return out32;
  }
}
