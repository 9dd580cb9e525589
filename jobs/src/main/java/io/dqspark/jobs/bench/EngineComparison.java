package io.dqspark.jobs.bench;

import io.dqspark.gnn.GraphInputs;
import io.dqspark.graph.GraphDataset;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The INT8 engine, the FP32 engine and DL4J's FP32 forward of one trained model (a node-level GCN
 * on its graph, a graph-level GIN on all its graphs), timed in this JVM with the same engines as
 * {@code bench inference}, for the pipeline report.
 */
public final class EngineComparison {
  /** Best wall time of one engine over the repetitions, after one warm-up pass. */
  public record Row(String engine, double bestSeconds) {}

  /** On-disk sizes in bytes: the .dq8 file, DL4J's ModelSerializer zip, raw float32 parameters. */
  public record Sizes(long dq8, long dl4jZip, long rawFloat32) {}

  public record Result(List<Row> rows, Sizes sizes, List<String> notes) {}

  private EngineComparison() {}

  public static Result gcn(String name, ComputationGraph net, GraphDataset data, boolean rowNormalize,
      int repetitions) {
    INDArray[] inputs = GraphInputs.nodeLevel(data, null, rowNormalize, DataType.FLOAT);
    GcnCases.Graph g = GcnCases.Graph.of(inputs);
    return time(GcnCases.build(name, g.describe(), net, g, inputs, g, new ArrayList<>()), repetitions);
  }

  /** A graph-level GIN on every graph of {@code scaled} (features already scaled as in training), one batch. */
  public static Result gin(String name, ComputationGraph net, GraphDataset scaled, int repetitions) {
    return time(GinCases.of(name, name, net, scaled), repetitions);
  }

  private static Result time(InferenceCase c, int repetitions) {
    List<Row> rows = new ArrayList<>();
    for (InferenceCase.Engine e : c.engines()) {
      e.forward().run();
      double best = Double.MAX_VALUE;
      for (int i = 0; i < repetitions; i++) {
        long t0 = System.nanoTime();
        e.forward().run();
        best = Math.min(best, (System.nanoTime() - t0) / 1e9);
      }
      rows.add(new Row(e.name(), best));
    }
    InferenceCase.ModelSizes s = c.sizes();
    return new Result(rows, new Sizes(s.dq8(), s.dl4jZip(), s.rawFloat32()), c.notes());
  }
}
