package io.dqspark.bench;

import io.dqspark.engine.Kernels;
import io.dqspark.export.FloatGcnExporter;
import io.dqspark.export.GcnExporter;
import io.dqspark.gnn.GcnModels;
import io.dqspark.gnn.GraphInputs;
import io.dqspark.gnn.QuantMode;
import io.dqspark.model.FloatGcn;
import io.dqspark.model.GcnGraph;
import io.dqspark.model.GcnModel;
import io.dqspark.model.IntegerGcn;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
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
 * Whole forward passes of a 2-layer GCN (64-64-16, QAT INT8, a few Adam steps on R-MAT scale 12)
 * on an R-MAT graph: {@link IntegerGcn} (oneDNN dense products, or pure Java) against {@link
 * FloatGcn} with the same network's float weights.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx8g"})
public class EngineBenchmarks {
  private static final int WIDTH = 64;
  private static final int CLASSES = 16;

  @Param({"18"})
  int scale;

  private RmatInput input;
  private GcnGraph graph;
  private IntegerGcn int8;
  private IntegerGcn int8Java;
  private FloatGcn fp32;

  @Setup(Level.Trial)
  public void setUp() {
    ComputationGraph net = trained();
    GcnModel q = GcnExporter.export(net, Map.of("dataset", "rmat-12"));
    int8 = new IntegerGcn(q);
    int8Java = new IntegerGcn(q, Kernels.javaInt8());
    fp32 = FloatGcnExporter.export(net);
    input = new RmatInput(scale, WIDTH, 11);
    graph = GcnGraph.of(input.nodes, input.src, input.dst);
  }

  /** Ranges and weights from a few steps on a small graph; labels: node id modulo the classes. */
  private static ComputationGraph trained() {
    RmatInput small = new RmatInput(12, WIDTH, 5);
    float[][] rows = new float[small.nodes][];
    float[] labels = new float[small.nodes * CLASSES];
    for (int v = 0; v < small.nodes; v++) {
      rows[v] = Arrays.copyOfRange(small.features, v * WIDTH, (v + 1) * WIDTH);
      labels[v * CLASSES + v % CLASSES] = 1;
    }
    GcnModels.Options o = new GcnModels.Options();
    o.hidden = 64;
    o.dropout = 0;
    o.mode = QuantMode.QAT;
    ComputationGraph net = new ComputationGraph(GcnModels.nodeClassifier(WIDTH, CLASSES, new Adam(0.01), o));
    net.init();
    INDArray[] inputs = GraphInputs.of(rows, small.src, small.dst, null, 0, DataType.FLOAT);
    org.nd4j.linalg.dataset.MultiDataSet data = GraphInputs.example(inputs,
        Nd4j.create(labels, new long[] {small.nodes, CLASSES}), Nd4j.ones(DataType.FLOAT, small.nodes, 1));
    for (int i = 0; i < 5; i++) {
      net.fit(data);
    }
    return net;
  }

  @Benchmark
  public Object integerGcn() {
    return int8.run(input.features, graph);
  }

  @Benchmark
  public Object integerGcnPureJava() {
    return int8Java.run(input.features, graph);
  }

  @Benchmark
  public Object floatGcn() {
    return fp32.run(input.features, graph);
  }
}
