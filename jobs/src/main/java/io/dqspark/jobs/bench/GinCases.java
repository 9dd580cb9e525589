package io.dqspark.jobs.bench;

import io.dqspark.engine.Kernels;
import io.dqspark.export.GinExporter;
import io.dqspark.gnn.GraphBatch;
import io.dqspark.gnn.GraphInputs;
import io.dqspark.gnn.QuantMode;
import io.dqspark.graph.EdgeRules;
import io.dqspark.graph.GraphDataset;
import io.dqspark.loaders.TuLoader;
import io.dqspark.model.Arithmetic;
import io.dqspark.model.FloatGin;
import io.dqspark.model.GinGraph;
import io.dqspark.model.GinModel;
import io.dqspark.model.IntegerGin;
import io.dqspark.model.LogitRows;
import io.dqspark.model.ModelWriter;
import io.dqspark.train.Architecture;
import io.dqspark.train.CrossValidationFolds;
import io.dqspark.train.EpochListener;
import io.dqspark.train.FeatureScaling;
import io.dqspark.train.GraphClassificationRun;
import io.dqspark.train.NodeClassifiers;
import io.dqspark.train.RunResult;
import io.dqspark.train.TrainingOptions;
import io.dqspark.train.Variant;
import io.dqspark.util.HadoopFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The graph-level cases of {@code bench inference} and of the pipeline report: a Degree-Quant INT8
 * GIN, then every graph scored as one block-diagonal batch by the integer engine, the FP32 engine
 * of the same weights and DL4J's FP32 forward.
 */
final class GinCases {
  private GinCases() {}

  static InferenceCase proteins(String tuDir, int epochs, long seed) {
    GraphDataset raw = TuLoader.load(HadoopFiles.withDefaults(), tuDir, "PROTEINS", EdgeRules.Options.DEFAULT);
    GraphClassificationRun run = new GraphClassificationRun(raw);
    TrainingOptions o = TrainingOptions.defaults(Architecture.GIN, true);
    o.variant = new Variant(QuantMode.DQ, 8);
    o.epochs = epochs;
    o.seed = seed;
    RunResult r = run.run(CrossValidationFolds.stratified(run.graphLabels(), 10, 1).get(0), o, EpochListener.NONE);
    InferenceCase c = of("proteins", "PROTEINS", run.network(), FeatureScaling.maxAbs(raw));
    c.notes().add(0, String.format("model: DQ INT8 GIN (%d layers, hidden %d, mean pool) trained %d epochs on"
        + " fold 0 (seed %d), %s", o.layers, o.hidden, epochs, seed, r));
    return c;
  }

  /**
   * A QAT INT8 node-level GIN ({@code width}-64-64, softmax head) briefly trained on a small R-MAT
   * graph, then run on R-MAT {@code scale} by the integer and FP32 engines, and on R-MAT
   * {@code dl4jScale} by DL4J. GIN's aggregation is a plain sum, with no per-message
   * requantization, so this is where the integer kernels' advantage shows on a large graph.
   */
  static InferenceCase rmat(int scale, int dl4jScale, int width, int classes, long seed) {
    TrainingOptions o = TrainingOptions.defaults(Architecture.GIN, false);
    o.variant = new Variant(QuantMode.QAT, 8);
    o.hidden = 64;
    o.dropout = 0;
    o.learningRate = 0.01;
    o.weightDecay = 0;
    o.seed = seed;
    ComputationGraph net = GcnCases.fitOnSmallRmat(NodeClassifiers.build(o, width, classes, 1, true),
        width, classes, seed);
    GcnCases.Graph big = GcnCases.Graph.rmat(scale, 16, width, seed);
    String name = "GIN, " + big.describe();
    GinModel q = GinExporter.export(net, Map.of("dataset", "rmat-" + scale));
    IntegerGin int8 = new IntegerGin(q);
    IntegerGin int8Exact = new IntegerGin(q, Arithmetic.EXACT);
    FloatGin fp32 = GinExporter.floatModel(net);
    ComputationGraph dl4j = GcnCases.fp32Twin(net);
    GinGraph graph = GinGraph.of(big.nodes, big.src, big.dst);

    List<InferenceCase.Engine> engines = InferenceCase.engines(name, () -> int8.run(big.features, graph),
        int8.describe(), int8.arithmetic() == Arithmetic.EXACT ? null : () -> int8Exact.run(big.features, graph),
        int8Exact.describe(), () -> fp32.run(big.features, graph));
    List<String> notes = new ArrayList<>();
    notes.add("model: QAT INT8 node-level GIN " + width + "-64-64-" + classes + " (2 GIN layers, MLP"
        + " each, softmax head), 30 full-batch Adam steps on R-MAT scale 12 (random features, labels ="
        + " argmax of a random linear map)");
    if (dl4jScale > 0) {
      GcnCases.Graph small = GcnCases.Graph.rmat(dl4jScale, 16, width, seed + 1);
      INDArray[] smallInputs = small.inputs();
      GinGraph smallGraph = GinGraph.of(small.nodes, small.src, small.dst);
      String smallName = "GIN, " + small.describe();
      engines.add(new InferenceCase.Engine("int8", smallName, int8.describe(),
          () -> int8.run(small.features, smallGraph)));
      engines.add(new InferenceCase.Engine("dl4j fp32", smallName, InferenceCase.dl4jKernels(),
          () -> dl4j.output(false, smallInputs)));
      notes.add("DL4J runs on R-MAT scale " + dl4jScale + " (INT8/DL4J is measured there)");
    }
    int[] p8 = int8.run(big.features, graph).predictions();
    int[] p32 = LogitRows.argmax(fp32.run(big.features, graph), fp32.classes());
    notes.add(InferenceCase.sameClass(p8, p32, "nodes"));
    InferenceCase.ModelSizes sizes = new InferenceCase.ModelSizes(ModelWriter.toBytes(q).length,
        GcnCases.zipSize(dl4j), 4L * net.params().length());
    return new InferenceCase("rmat-gin-" + scale, name, engines, sizes, notes);
  }

  /**
   * The engines of one trained graph-level GIN on every graph of {@code data} (features scaled as in
   * training) as one block-diagonal batch: integer, FP32 engine of the same weights, DL4J FP32.
   */
  static InferenceCase of(String key, String dataset, ComputationGraph net, GraphDataset data) {
    int[] all = IntStream.range(0, data.graphs().size()).toArray();
    INDArray[] inputs = GraphBatch.of(data, null).inputs(all, DataType.FLOAT);
    GraphInputs.Plain p = GraphInputs.Plain.of(inputs);
    GinGraph graph = GinGraph.of(p.nodes(), p.src(), p.dst(), p.nodeGraph(), p.graphs());
    String name = String.format("%s, all %,d graphs as one batch (%,d nodes, %,d edges, width %d)",
        dataset, p.graphs(), p.nodes(), p.src().length, p.width());

    GinModel q = GinExporter.export(net, Map.of("dataset", dataset));
    IntegerGin int8 = new IntegerGin(q);
    IntegerGin int8Exact = new IntegerGin(q, Arithmetic.EXACT);
    FloatGin fp32 = GinExporter.floatModel(net);
    ComputationGraph dl4j = GcnCases.fp32Twin(net);

    List<InferenceCase.Engine> engines = InferenceCase.engines(name, () -> int8.run(p.features(), graph),
        int8.describe(), int8.arithmetic() == Arithmetic.EXACT ? null : () -> int8Exact.run(p.features(), graph),
        int8Exact.describe(), () -> fp32.run(p.features(), graph));
    engines.add(new InferenceCase.Engine("dl4j fp32", name, InferenceCase.dl4jKernels(),
        () -> dl4j.output(false, inputs)));

    List<String> notes = new ArrayList<>();
    int[] p8 = int8.run(p.features(), graph).predictions();
    int[] p32 = LogitRows.argmax(fp32.run(p.features(), graph), fp32.classes());
    notes.add(InferenceCase.sameClass(p8, p32, "graphs"));
    // every float the network holds, quantizer ranges included (a few dozen), as raw float32
    long raw32 = 4L * net.params().length();
    InferenceCase.ModelSizes sizes = new InferenceCase.ModelSizes(ModelWriter.toBytes(q).length,
        GcnCases.zipSize(dl4j), raw32);
    return new InferenceCase(key, name, engines, sizes, notes);
  }
}
