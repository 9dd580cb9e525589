package io.dqspark.jobs.bench;

import io.dqspark.export.FloatGcnExporter;
import io.dqspark.export.GcnExporter;
import io.dqspark.gnn.GcnModels;
import io.dqspark.gnn.GraphInputs;
import io.dqspark.gnn.QuantMode;
import io.dqspark.gnn.QuantizedGraphVertex;
import io.dqspark.graph.EdgeRules;
import io.dqspark.graph.GraphDataset;
import io.dqspark.jobs.generate.Rmat;
import io.dqspark.loaders.PlanetoidLoader;
import io.dqspark.model.Arithmetic;
import io.dqspark.model.FloatGcn;
import io.dqspark.model.GcnGraph;
import io.dqspark.model.GcnModel;
import io.dqspark.model.IntegerGcn;
import io.dqspark.model.ModelWriter;
import io.dqspark.engine.Kernels;
import io.dqspark.train.Architecture;
import io.dqspark.train.NodeClassificationRun;
import io.dqspark.train.RunResult;
import io.dqspark.train.TrainingOptions;
import io.dqspark.train.Variant;
import io.dqspark.util.HadoopFiles;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * The GCN cases of {@code bench inference}: a trained network, its INT8 export on the integer
 * engine (oneDNN dense products when loaded, and pure Java), its FP32 weights on the FP32 engine,
 * and DL4J's FP32 forward of the same weights.
 */
final class GcnCases {
  private GcnCases() {}

  /** A Degree-Quant INT8 GCN trained on Cora (Planetoid split, Kipf &amp; Welling settings). */
  static InferenceCase cora(String planetoidDir, int epochs, long seed) {
    GraphDataset cora = PlanetoidLoader.load(HadoopFiles.withDefaults(), planetoidDir, "cora",
        EdgeRules.Options.DEFAULT);
    NodeClassificationRun run = new NodeClassificationRun(cora, true);
    TrainingOptions o = TrainingOptions.defaults(Architecture.GCN, false);
    o.variant = new Variant(QuantMode.DQ, 8);
    o.epochs = epochs;
    o.seed = seed;
    RunResult r = run.run(o);
    INDArray[] inputs = GraphInputs.nodeLevel(cora, null, true, DataType.FLOAT);
    Graph g = Graph.of(inputs);
    List<String> notes = new ArrayList<>();
    notes.add(String.format("model: DQ INT8 GCN %d-%d-%d trained %d epochs (seed %d), %s",
        cora.featureDim(), o.hidden, cora.numClasses(), epochs, seed, r));
    return build("cora", g.describe(), run.network(), g, inputs, g, notes);
  }

  /**
   * A QAT INT8 GCN 64-64-{@code classes} briefly trained on a small R-MAT graph (random features,
   * labels a random linear function of them), then run on R-MAT {@code scale}; DL4J runs on
   * R-MAT {@code dl4jScale} (its GCN layer holds every per-edge message as doubles).
   */
  static InferenceCase rmat(int scale, int dl4jScale, int width, int classes, long seed) {
    ComputationGraph net = trainedRmatModel(width, classes, seed);
    Graph big = Graph.rmat(scale, 16, width, seed);
    List<String> notes = new ArrayList<>();
    notes.add("model: QAT INT8 GCN " + width + "-64-" + classes + ", 30 full-batch Adam steps on "
        + "R-MAT scale 12 (random features, labels = argmax of a random linear map)");
    notes.add("R-MAT: Graph500 parameters, 16 edges per node before dropping self-loops, duplicate "
        + "edges kept, features uniform in [-1, 1]");
    INDArray[] dl4jInputs = null;
    Graph small = big;
    if (dl4jScale > 0) {
      small = dl4jScale == scale ? big : Graph.rmat(dl4jScale, 16, width, seed + 1);
      dl4jInputs = small.inputs();
      if (dl4jScale != scale) {
        notes.add("DL4J runs on R-MAT scale " + dl4jScale + ": its GCN vertex keeps the per-edge "
            + "messages as double[E'*64] (scale 20: 17.8M edges with self-loops, 9.1 GB for one array), "
            + "which does not fit the heap; INT8/DL4J is measured on that smaller graph");
      }
    } else {
      notes.add("DL4J skipped (--dl4j-scale 0)");
    }
    return build("rmat-" + scale, big.describe(), net, big, dl4jInputs, small, notes);
  }

  private static ComputationGraph trainedRmatModel(int width, int classes, long seed) {
    GcnModels.Options o = new GcnModels.Options();
    o.hidden = 64;
    o.dropout = 0;
    o.mode = QuantMode.QAT;
    o.bits = 8;
    o.seed = seed;
    return fitOnSmallRmat(GcnModels.nodeClassifier(width, classes, new Adam(0.01), o), width, classes, seed);
  }

  /**
   * {@code conf} after 30 full-batch steps on R-MAT scale 12 with random features and labels the
   * argmax of a random linear map of them: enough for realistic quantizer ranges, which is all
   * the speed benchmark needs of a model.
   */
  static ComputationGraph fitOnSmallRmat(ComputationGraphConfiguration conf, int width, int classes, long seed) {
    Graph g = Graph.rmat(12, 16, width, seed + 7);
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
    ComputationGraph net = new ComputationGraph(conf);
    net.init();
    INDArray[] inputs = g.inputs();
    org.nd4j.linalg.dataset.MultiDataSet data = GraphInputs.example(inputs,
        Nd4j.create(labels, new long[] {g.nodes, classes}), Nd4j.ones(DataType.FLOAT, g.nodes, 1));
    for (int step = 0; step < 30; step++) {
      net.fit(data);
    }
    return net;
  }

  /**
   * The engines of one trained network. {@code dl4jInputs} (null to skip DL4J) are the network
   * inputs of {@code dl4jGraph}; the integer engine also runs on that graph when it is not
   * {@code g}, so that INT8/DL4J compares the same input.
   */
  static InferenceCase build(String name, String graph, ComputationGraph net, Graph g,
      INDArray[] dl4jInputs, Graph dl4jGraph, List<String> notes) {
    GcnModel q = GcnExporter.export(net, Map.of("dataset", name));
    IntegerGcn int8 = new IntegerGcn(q);
    IntegerGcn int8Exact = new IntegerGcn(q, Arithmetic.EXACT);
    FloatGcn fp32 = FloatGcnExporter.export(net);
    ComputationGraph dl4j = fp32Twin(net);
    GcnGraph gg = GcnGraph.of(g.nodes, g.src, g.dst);

    List<InferenceCase.Engine> engines = InferenceCase.engines(graph, () -> int8.run(g.features, gg),
        int8.describe(), int8.arithmetic() == Arithmetic.EXACT ? null : () -> int8Exact.run(g.features, gg),
        int8Exact.describe(), () -> fp32.run(g.features, gg));
    if (dl4jInputs != null) {
      String dl4jGraphName = dl4jGraph.describe();
      if (dl4jGraph != g) {
        GcnGraph small = GcnGraph.of(dl4jGraph.nodes, dl4jGraph.src, dl4jGraph.dst);
        engines.add(new InferenceCase.Engine("int8", dl4jGraphName, int8.describe(),
            () -> int8.run(dl4jGraph.features, small)));
      }
      engines.add(new InferenceCase.Engine("dl4j fp32", dl4jGraphName, InferenceCase.dl4jKernels(),
          () -> dl4j.output(false, dl4jInputs)));
    }

    // sanity: the engines compute the same model
    int[] p8 = int8.run(g.features, gg).predictions();
    float[] logits = fp32.run(g.features, gg);
    int[] p32 = FloatGcn.predictions(logits, fp32.classes());
    notes.add(InferenceCase.sameClass(p8, p32, "nodes"));
    if (dl4jInputs != null && dl4jGraph == g) {
      INDArray ref = dl4j.feedForward(dl4jInputs, false).get("gcn2");
      double maxDiff = 0;
      for (int v = 0; v < g.nodes; v++) {
        for (int c = 0; c < fp32.classes(); c++) {
          maxDiff = Math.max(maxDiff, Math.abs(ref.getDouble(v, c) - logits[v * fp32.classes() + c]));
        }
      }
      notes.add(String.format("fp32 engine vs DL4J fp32 logits: max |difference| %.2g", maxDiff));
    }
    long raw = 0;
    for (FloatGcn.Layer l : fp32.layers()) {
      raw += 4L * ((long) l.nIn() * l.nOut() + l.nOut());
    }
    InferenceCase.ModelSizes sizes = new InferenceCase.ModelSizes(ModelWriter.toBytes(q).length,
        zipSize(dl4j), raw);
    return new InferenceCase(name, graph, engines, sizes, notes);
  }

  /** The same network with every GCN vertex in FP32 mode: DL4J's FP32 inference of the weights. */
  static ComputationGraph fp32Twin(ComputationGraph net) {
    ComputationGraphConfiguration conf = net.getConfiguration().clone();
    for (GraphVertex v : conf.getVertices().values()) {
      if (v instanceof QuantizedGraphVertex) {
        ((QuantizedGraphVertex<?>) v).setMode(QuantMode.FP32);
      }
    }
    ComputationGraph twin = new ComputationGraph(conf);
    twin.init(net.params().dup(), false);
    return twin;
  }

  static long zipSize(ComputationGraph net) {
    try {
      File f = File.createTempFile("dq-bench-", ".zip");
      try {
        ModelSerializer.writeModel(net, f, false);
        return Files.size(f.toPath());
      } finally {
        Files.deleteIfExists(f.toPath());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A graph as the engines take it: node count, directed edges, row-major float features. */
  static final class Graph {
    final int nodes;
    final int[] src;
    final int[] dst;
    final float[] features;
    final int width;
    final String label;

    Graph(int nodes, int[] src, int[] dst, float[] features, int width, String label) {
      this.nodes = nodes;
      this.src = src;
      this.dst = dst;
      this.features = features;
      this.width = width;
      this.label = label;
    }

    String describe() {
      return String.format("%s (%,d nodes, %,d edges, width %d)", label, nodes, src.length, width);
    }

    static Graph of(INDArray[] inputs) {
      GraphInputs.Plain p = GraphInputs.Plain.of(inputs);
      return new Graph(p.nodes(), p.src(), p.dst(), p.features(), p.width(), "cora");
    }

    static Graph rmat(int scale, int edgeFactor, int width, long seed) {
      int n = 1 << scale;
      int m = Math.multiplyExact(n, edgeFactor);
      Rmat r = Rmat.graph500(scale, seed);
      int[] src = new int[m];
      int[] dst = new int[m];
      long[] e = new long[2];
      for (int i = 0; i < m; i++) {
        r.edge(i, e);
        src[i] = (int) e[0];
        dst[i] = (int) e[1];
      }
      SplittableRandom rnd = new SplittableRandom(seed ^ 0x5DEECE66DL);
      float[] x = new float[Math.multiplyExact(n, width)];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) rnd.nextDouble(-1, 1);
      }
      return new Graph(n, src, dst, x, width, "R-MAT scale " + scale);
    }

    /** The DL4J network inputs of this graph (nothing protected). */
    INDArray[] inputs() {
      float[][] rows = new float[nodes][];
      for (int v = 0; v < nodes; v++) {
        rows[v] = java.util.Arrays.copyOfRange(features, v * width, (v + 1) * width);
      }
      return GraphInputs.of(rows, src, dst, null, 0, DataType.FLOAT);
    }
  }
}
