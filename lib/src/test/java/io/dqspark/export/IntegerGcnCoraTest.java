package io.dqspark.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dqspark.gnn.GraphInputs;
import io.dqspark.gnn.QuantMode;
import io.dqspark.graph.EdgeRules;
import io.dqspark.graph.GraphDataset;
import io.dqspark.graph.Split;
import io.dqspark.loaders.PlanetoidLoader;
import io.dqspark.model.GcnGraph;
import io.dqspark.model.IntegerGcn;
import io.dqspark.model.ModelReader;
import io.dqspark.model.ModelWriter;
import io.dqspark.model.QuantizedModel;
import io.dqspark.train.Architecture;
import io.dqspark.train.NodeClassificationRun;
import io.dqspark.train.RunResult;
import io.dqspark.train.TrainingOptions;
import io.dqspark.train.Variant;
import io.dqspark.util.HadoopFiles;
import java.nio.file.Paths;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A Degree-Quant INT8 GCN trained on Cora, exported, written and read back as a .dq8 file and
 * scored with integer arithmetic, against the DL4J fake-quant network it came from.
 */
class IntegerGcnCoraTest {
  private static GraphDataset cora() {
    String root = System.getProperty("dq.repo.root", ".");
    return PlanetoidLoader.load(HadoopFiles.withDefaults(),
        Paths.get(root, "data/planetoid/cora").toString(), "cora", EdgeRules.Options.DEFAULT);
  }

  /** Integer scoring of {@code model} against the fake-quant {@code net} on all of Cora. */
  private record Comparison(int agree, int nodes, double accInt, double accFake, int differing,
      int logits, int maxSteps) {}

  private static Comparison compare(GraphDataset cora, ComputationGraph net, QuantizedModel model,
      String label) {
    INDArray[] inputs = GraphInputs.nodeLevel(cora, null, true, DataType.FLOAT);
    INDArray fakeQuant = net.output(false, inputs)[0];
    INDArray logits = net.feedForward(inputs, false).get("gcn2"); // dequantized output codes

    GraphInputs.Plain plain = GraphInputs.Plain.of(inputs);
    int n = plain.nodes();
    long t0 = System.nanoTime();
    IntegerGcn.Result out = new IntegerGcn(model).run(plain.features(), GcnGraph.of(n, plain.src(), plain.dst()));
    double seconds = (System.nanoTime() - t0) / 1e9;
    int[] predicted = out.predictions();

    int[] reference = fakeQuant.argMax(1).toIntVector();
    int agree = 0;
    for (int v = 0; v < n; v++) {
      agree += predicted[v] == reference[v] ? 1 : 0;
    }
    // logits compared in output quantization steps
    io.dqspark.quant.QuantParams po = out.params();
    int differing = 0;
    int maxSteps = 0;
    for (int v = 0; v < n; v++) {
      for (int c = 0; c < out.classes(); c++) {
        int fakeCode = (int) Math.rint(logits.getDouble(v, c) / po.scale()) + po.zeroPoint();
        int d = Math.abs(fakeCode - out.code(v, c));
        differing += d != 0 ? 1 : 0;
        maxSteps = Math.max(maxSteps, d);
      }
    }
    int[] test = GraphInputs.rows(cora, Split.TEST);
    int correctInt = 0;
    int correctFake = 0;
    for (int v : test) {
      int y = cora.vertices().label(v);
      correctInt += predicted[v] == y ? 1 : 0;
      correctFake += reference[v] == y ? 1 : 0;
    }
    Comparison c = new Comparison(agree, n, (double) correctInt / test.length,
        (double) correctFake / test.length, differing, n * out.classes(), maxSteps);
    System.out.printf("cora %s: integer/fake-quant agreement %d/%d = %.4f; test accuracy integer "
        + "%.4f, fake-quant %.4f; logit codes differing %d of %d, at most %d step(s); integer "
        + "scoring %.3f s%n", label, agree, n, (double) agree / n, c.accInt(), c.accFake(),
        differing, c.logits(), maxSteps, seconds);
    return c;
  }

  private static QuantizedModel exportAndReread(ComputationGraph net) {
    QuantizedModel exported = GcnExporter.export(net, Map.of("dataset", "cora"));
    QuantizedModel model = ModelReader.read(ModelWriter.toBytes(exported));
    assertEquals(exported, model);
    return model;
  }

  @Test
  void integerScoringAgreesWithFakeQuantOnCora() {
    GraphDataset cora = cora();
    NodeClassificationRun run = new NodeClassificationRun(cora, true);
    TrainingOptions o = TrainingOptions.defaults(Architecture.GCN, false);
    o.variant = new Variant(QuantMode.DQ, 8);
    o.epochs = 60;
    o.seed = 7;
    RunResult r = run.run(o);
    System.out.println("trained: " + r);
    Comparison c = compare(cora, run.network(), exportAndReread(run.network()), "DQ int8");
    assertTrue(c.maxSteps() <= 4 && c.differing() < 0.05 * c.logits(), c.toString());
    assertTrue(c.agree() >= 0.99 * c.nodes(), c.toString());
    assertTrue(Math.abs(c.accInt() - c.accFake()) <= 0.003, c.toString());
    assertTrue(c.accFake() > 0.6, "the DQ GCN learned something: " + c);
  }

  /** A short QAT INT4 run: weights are stored packed and the model round-trips and scores. */
  @Test
  void exportsQatInt4WithPackedWeights() {
    GraphDataset cora = cora();
    NodeClassificationRun run = new NodeClassificationRun(cora, true);
    TrainingOptions o = TrainingOptions.defaults(Architecture.GCN, false);
    o.variant = new Variant(QuantMode.QAT, 4);
    o.epochs = 20;
    o.seed = 11;
    run.run(o);
    QuantizedModel model = exportAndReread(run.network());
    for (io.dqspark.model.GcnLayer l : model.layers()) {
      assertEquals(4, l.params(io.dqspark.model.GcnSite.WEIGHT).bits());
      for (byte w : l.weights()) {
        assertTrue(w >= -8 && w <= 7);
      }
    }
    assertEquals("QAT", model.provenance().get("mode"));
    Comparison c = compare(cora, run.network(), model, "QAT int4");
    assertTrue(c.agree() >= 0.99 * c.nodes(), c.toString());
  }
}
