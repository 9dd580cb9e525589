package io.dqspark.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dqspark.gnn.GraphInputs;
import io.dqspark.gnn.QuantMode;
import io.dqspark.graph.EdgeRules;
import io.dqspark.graph.GraphDataset;
import io.dqspark.graph.Split;
import io.dqspark.loaders.PlanetoidLoader;
import io.dqspark.model.Arithmetic;
import io.dqspark.model.GcnGraph;
import io.dqspark.model.GcnModel;
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
import org.junit.jupiter.api.Tag;

/**
 * A Degree-Quant INT8 GCN trained on Cora, exported, written and read back as a .dq8 file and
 * scored with integer arithmetic, against the DL4J fake-quant network it came from.
 */
@Tag("integration")
class IntegerGcnCoraTest {
  private static NodeAgreement compare(GraphDataset cora, ComputationGraph net,
      GcnModel model, Arithmetic arithmetic, String label) {
    IntegerGcn engine = new IntegerGcn(model, arithmetic);
    return NodeAgreement.compare(cora, net, "gcn2", engine::run, label + ", " + engine.describe());
  }

  /** The bar for the default arithmetic: predictions and test accuracy (design §5.6). */
  static void assertAgrees(NodeAgreement c) {
    assertTrue(c.agree() >= 0.99 * c.nodes(), c.toString());
    assertTrue(Math.abs(c.accInt() - c.accFake()) <= 0.003 + 1e-9, c.toString());
  }

  private static GcnModel exportAndReread(ComputationGraph net) {
    GcnModel exported = GcnExporter.export(net, Map.of("dataset", "cora"));
    GcnModel model = (GcnModel) ModelReader.read(ModelWriter.toBytes(exported));
    assertEquals(exported, model);
    return model;
  }

  @Test
  void integerScoringAgreesWithFakeQuantOnCora() {
    GraphDataset cora = NodeAgreement.cora();
    NodeClassificationRun run = new NodeClassificationRun(cora, true);
    TrainingOptions o = TrainingOptions.defaults(Architecture.GCN, false);
    o.variant = new Variant(QuantMode.DQ, 8);
    o.epochs = 60;
    o.seed = 7;
    RunResult r = run.run(o);
    System.out.println("trained: " + r);
    GcnModel model = exportAndReread(run.network());
    NodeAgreement c = compare(cora, run.network(), model, Arithmetic.EXACT, "DQ int8");
    System.out.println(c);
    assertTrue(c.maxSteps() <= 4 && c.differing() < 0.05 * c.logits(), c.toString());
    assertAgrees(c);
    assertTrue(c.accFake() > 0.6, "the DQ GCN learned something: " + c);
    assertEquals(Arithmetic.FAST, Arithmetic.defaultFor(model));
    NodeAgreement fast = compare(cora, run.network(), model, Arithmetic.FAST, "DQ int8");
    System.out.println(fast);
    assertAgrees(fast);

    // the export's own check measures the same agreement and records fast as this model's default
    ArithmeticCheck.Checked checked = ArithmeticCheck.apply(model, run.network(), cora, true);
    System.out.println("export check: " + checked.outcome().describe());
    assertEquals(Arithmetic.FAST, checked.outcome().chosen());
    assertEquals((double) fast.agree() / fast.nodes(), checked.outcome().agreement(), 1e-12);
    assertEquals(fast.accInt(), checked.outcome().fastAccuracy(), 1e-12);
    assertEquals("fast", checked.model().provenance().get(Arithmetic.PROVENANCE_KEY));
    QuantizedModel reread = ModelReader.read(ModelWriter.toBytes(checked.model()));
    assertEquals(Arithmetic.FAST, Arithmetic.defaultFor(reread));
  }

  /** A short QAT INT4 run: weights are stored packed and the model round-trips and scores. */
  @Test
  void exportsQatInt4WithPackedWeights() {
    GraphDataset cora = NodeAgreement.cora();
    NodeClassificationRun run = new NodeClassificationRun(cora, true);
    TrainingOptions o = TrainingOptions.defaults(Architecture.GCN, false);
    o.variant = new Variant(QuantMode.QAT, 4);
    o.epochs = 20;
    o.seed = 11;
    run.run(o);
    GcnModel model = exportAndReread(run.network());
    for (io.dqspark.model.GcnLayer l : model.layers()) {
      assertEquals(4, l.params(io.dqspark.model.GcnSite.WEIGHT).bits());
      for (byte w : l.weights()) {
        assertTrue(w >= -8 && w <= 7);
      }
    }
    assertEquals("QAT", model.provenance().get("mode"));
    // INT4 messages are too coarse to skip their rounding: the default for this model is exact
    assertEquals(Arithmetic.EXACT, Arithmetic.defaultFor(model));
    NodeAgreement c = compare(cora, run.network(), model, Arithmetic.EXACT, "QAT int4");
    System.out.println(c);
    assertAgrees(c);
    System.out.println("not the default here: " + compare(cora, run.network(), model,
        Arithmetic.FAST, "QAT int4"));
  }
}
