package io.dqspark.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dqspark.gnn.QuantMode;
import io.dqspark.graph.GraphDataset;
import io.dqspark.model.Arithmetic;
import io.dqspark.model.GatLayer;
import io.dqspark.model.GatSite;
import io.dqspark.model.GatModel;
import io.dqspark.model.IntegerGat;
import io.dqspark.model.ModelReader;
import io.dqspark.model.ModelWriter;
import io.dqspark.train.Architecture;
import io.dqspark.train.NodeClassificationRun;
import io.dqspark.train.RunResult;
import io.dqspark.train.TrainingOptions;
import io.dqspark.train.Variant;
import io.dqspark.util.DqInputException;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

/**
 * Veličković et al.'s GAT (8 ELU heads of 8, then one head of 7 logits) trained on Cora with
 * Degree-Quant, exported, written and read back, and scored by the integer engine in both
 * arithmetics (design §5.6) against the DL4J fake-quant network it came from: the exact one
 * (integer softmax, every message rounded) and the fast one, the default where it meets the bar
 * (at least 99% of the predictions, test accuracy within 0.3 points).
 */
@Tag("integration")
class IntegerGatCoraTest {
  private static GatModel exportAndReread(ComputationGraph net) {
    GatModel exported = GatExporter.export(net, Map.of("dataset", "cora"));
    byte[] file = ModelWriter.toBytes(exported);
    assertEquals(3, file[8], "GAT models are written as format version 3");
    GatModel model = (GatModel) ModelReader.read(file);
    assertEquals(exported, model);
    return model;
  }

  private static NodeAgreement compare(GraphDataset cora, ComputationGraph net,
      GatModel model, Arithmetic arithmetic, String label) {
    IntegerGat engine = new IntegerGat(model, arithmetic);
    return NodeAgreement.compare(cora, net, "gat2", engine::run, label + ", " + engine.describe());
  }

  private static NodeClassificationRun train(GraphDataset cora, Variant variant, int epochs, long seed) {
    NodeClassificationRun run = new NodeClassificationRun(cora, true);
    TrainingOptions o = TrainingOptions.defaults(Architecture.GAT, false);
    o.variant = variant;
    o.epochs = epochs;
    o.seed = seed;
    RunResult r = run.run(o);
    System.out.println("trained: " + r);
    return run;
  }

  @Test
  void integerScoringAgreesWithFakeQuantOnCora() {
    GraphDataset cora = NodeAgreement.cora();
    NodeClassificationRun run = train(cora, new Variant(QuantMode.DQ, 8), 100, 3);
    GatModel model = exportAndReread(run.network());
    GatLayer first = model.layers().get(0);
    assertEquals(8, first.heads());
    assertTrue(first.concat());
    assertEquals(GatLayer.Activation.ELU, first.activation());
    NodeAgreement c = compare(cora, run.network(), model, Arithmetic.EXACT, "GAT DQ int8");
    assertTrue(c.maxSteps() <= 4 && c.differing() < 0.05 * c.logits(), c.toString());
    IntegerGcnCoraTest.assertAgrees(c);
    assertTrue(c.accFake() > 0.6, "the DQ GAT learned something: " + c);
    assertEquals(Arithmetic.FAST, Arithmetic.defaultFor(model));
    NodeAgreement fast = compare(cora, run.network(), model, Arithmetic.FAST, "GAT DQ int8");
    IntegerGcnCoraTest.assertAgrees(fast);

    // the export's check runs the GAT's fast engine and records what it measured
    ArithmeticCheck.Checked checked = ArithmeticCheck.apply(model, run.network(), cora, true);
    System.out.println("export check: " + checked.outcome().describe());
    assertEquals(Arithmetic.FAST, checked.outcome().chosen());
    assertEquals((double) fast.agree() / fast.nodes(), checked.outcome().agreement(), 1e-12);
    assertEquals("fast", checked.model().provenance().get(Arithmetic.PROVENANCE_KEY));
  }

  /** QAT INT4: weights and attention vectors packed two per byte, and still the same predictions in both arithmetics. */
  @Test
  void exportsQatInt4WithPackedWeights() {
    GraphDataset cora = NodeAgreement.cora();
    NodeClassificationRun run = train(cora, new Variant(QuantMode.QAT, 4), 30, 5);
    GatModel model = exportAndReread(run.network());
    for (GatLayer l : model.layers()) {
      assertEquals(4, l.params(GatSite.WEIGHT).bits());
      for (byte a : l.attention()) {
        assertTrue(a >= -8 && a <= 7);
      }
    }
    assertEquals("QAT", model.provenance().get("mode"));
    NodeAgreement c = compare(cora, run.network(), model, Arithmetic.EXACT, "GAT QAT int4");
    assertTrue(c.agree() >= 0.99 * c.nodes(), c.toString());
    // the fast arithmetic rounds every message too, so 4-bit messages keep their meaning
    assertEquals(Arithmetic.FAST, Arithmetic.defaultFor(model));
    IntegerGcnCoraTest.assertAgrees(compare(cora, run.network(), model, Arithmetic.FAST, "GAT QAT int4"));
  }

  @Test
  void refusesAnFp32Network() {
    GraphDataset cora = NodeAgreement.cora();
    NodeClassificationRun run = train(cora, Variant.FP32, 1, 1);
    DqInputException e = assertThrows(DqInputException.class,
        () -> GatExporter.export(run.network(), Map.of()));
    assertTrue(e.getMessage().contains("does not quantize"), e.getMessage());
  }
}
