package io.dqspark.jobs.bench;

import io.dqspark.export.GatExporter;
import io.dqspark.gnn.GraphInputs;
import io.dqspark.gnn.QuantMode;
import io.dqspark.graph.EdgeRules;
import io.dqspark.graph.GraphDataset;
import io.dqspark.loaders.PlanetoidLoader;
import io.dqspark.model.Arithmetic;
import io.dqspark.model.FloatGat;
import io.dqspark.model.GatModel;
import io.dqspark.model.GcnGraph;
import io.dqspark.model.IntegerGat;
import io.dqspark.model.ModelWriter;
import io.dqspark.train.Architecture;
import io.dqspark.train.NodeClassificationRun;
import io.dqspark.train.NodeClassifiers;
import io.dqspark.train.RunResult;
import io.dqspark.train.TrainingOptions;
import io.dqspark.train.Variant;
import io.dqspark.util.HadoopFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The GAT cases of {@code bench inference}: Veličković et al.'s 8-head GAT, its INT8 export on the
 * integer engine (integer softmax included), its FP32 weights on the FP32 GAT engine, and DL4J's
 * FP32 forward of the same weights.
 */
final class GatCases {
  private GatCases() {}

  /** A Degree-Quant INT8 GAT trained on Cora (Planetoid split, the GAT paper's settings). */
  static InferenceCase cora(String planetoidDir, int epochs, long seed) {
    GraphDataset cora = PlanetoidLoader.load(HadoopFiles.withDefaults(), planetoidDir, "cora",
        EdgeRules.Options.DEFAULT);
    NodeClassificationRun run = new NodeClassificationRun(cora, true);
    TrainingOptions o = TrainingOptions.defaults(Architecture.GAT, false);
    o.variant = new Variant(QuantMode.DQ, 8);
    o.epochs = epochs;
    o.seed = seed;
    RunResult r = run.run(o);
    INDArray[] inputs = GraphInputs.nodeLevel(cora, null, true, DataType.FLOAT);
    GcnCases.Graph g = GcnCases.Graph.of(inputs);
    List<String> notes = new ArrayList<>();
    notes.add(String.format("model: DQ INT8 GAT %d-%dx%d-%d trained %d epochs (seed %d), %s",
        cora.featureDim(), o.heads, o.hidden, cora.numClasses(), epochs, seed, r));
    return build("cora-gat", "GAT, " + g.describe(), run.network(), g, inputs, g, notes);
  }

  /**
   * A QAT INT8 GAT {@code width}-8x8-{@code classes} briefly trained on a small R-MAT graph, run
   * on R-MAT {@code scale}; DL4J runs on R-MAT {@code dl4jScale}.
   */
  static InferenceCase rmat(int scale, int dl4jScale, int width, int classes, long seed) {
    TrainingOptions o = TrainingOptions.defaults(Architecture.GAT, false);
    o.variant = new Variant(QuantMode.QAT, 8);
    o.dropout = 0;
    o.attentionDropout = 0;
    o.learningRate = 0.01;
    o.weightDecay = 0;
    o.seed = seed;
    ComputationGraph net = GcnCases.fitOnSmallRmat(NodeClassifiers.build(o, width, classes, 1, true),
        width, classes, seed);
    GcnCases.Graph big = GcnCases.Graph.rmat(scale, 16, width, seed);
    List<String> notes = new ArrayList<>();
    notes.add("model: QAT INT8 GAT " + width + "-" + o.heads + "x" + o.hidden + "-" + classes
        + " (ELU heads concatenated, one output head), 30 full-batch Adam steps on R-MAT scale 12"
        + " (random features, labels = argmax of a random linear map)");
    INDArray[] dl4jInputs = null;
    GcnCases.Graph small = big;
    if (dl4jScale > 0) {
      small = dl4jScale == scale ? big : GcnCases.Graph.rmat(dl4jScale, 16, width, seed + 1);
      dl4jInputs = small.inputs();
      if (small != big) {
        notes.add("DL4J runs on R-MAT scale " + dl4jScale + " (INT8/DL4J is measured there)");
      }
    }
    return build("rmat-gat-" + scale, "GAT, " + big.describe(), net, big, dl4jInputs, small, notes);
  }

  private static InferenceCase build(String name, String graph, ComputationGraph net,
      GcnCases.Graph g, INDArray[] dl4jInputs, GcnCases.Graph dl4jGraph, List<String> notes) {
    GatModel q = GatExporter.export(net, Map.of("dataset", name));
    IntegerGat int8 = new IntegerGat(q);
    IntegerGat int8Exact = new IntegerGat(q, Arithmetic.EXACT);
    FloatGat fp32 = GatExporter.floatModel(net);
    ComputationGraph dl4j = GcnCases.fp32Twin(net);
    GcnGraph gg = GcnGraph.of(g.nodes, g.src, g.dst);

    String kernels = int8.describe();
    List<InferenceCase.Engine> engines = InferenceCase.engines(graph, () -> int8.run(g.features, gg),
        kernels, int8.arithmetic() == Arithmetic.EXACT ? null : () -> int8Exact.run(g.features, gg),
        int8Exact.describe(), () -> fp32.run(g.features, gg));
    if (dl4jInputs != null) {
      String dl4jName = "GAT, " + dl4jGraph.describe();
      if (dl4jGraph != g) {
        GcnGraph smallGraph = GcnGraph.of(dl4jGraph.nodes, dl4jGraph.src, dl4jGraph.dst);
        engines.add(new InferenceCase.Engine("int8", dl4jName, kernels,
            () -> int8.run(dl4jGraph.features, smallGraph)));
      }
      INDArray[] in = dl4jInputs;
      engines.add(new InferenceCase.Engine("dl4j fp32", dl4jName, InferenceCase.dl4jKernels(),
          () -> dl4j.output(false, in)));
    }
    int[] p8 = int8.run(g.features, gg).predictions();
    int[] p32 = FloatGat.predictions(fp32.run(g.features, gg), fp32.classes());
    notes.add(InferenceCase.sameClass(p8, p32, "nodes"));
    if (dl4jInputs != null) {
      // the integer engine's reference is the fake-quant network; FP32 is another model
      int[] fake = net.output(false, dl4jInputs)[0].argMax(1).toIntVector();
      int[] onSmall = int8.run(dl4jGraph.features, GcnGraph.of(dl4jGraph.nodes, dl4jGraph.src,
          dl4jGraph.dst)).predictions();
      int agree = 0;
      for (int v = 0; v < fake.length; v++) {
        agree += fake[v] == onSmall[v] ? 1 : 0;
      }
      notes.add(String.format("int8 engine and DL4J's fake-quant forward of the QAT/DQ network agree on"
          + " %d of %d nodes of %s (%.2f%%)", agree, fake.length, dl4jGraph.describe(),
          100.0 * agree / fake.length));
    }
    long raw = 4L * net.params().length();
    InferenceCase.ModelSizes sizes = new InferenceCase.ModelSizes(ModelWriter.toBytes(q).length,
        GcnCases.zipSize(dl4j), raw);
    return new InferenceCase(name, graph, engines, sizes, notes);
  }
}
