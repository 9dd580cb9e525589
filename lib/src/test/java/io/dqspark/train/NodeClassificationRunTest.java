package io.dqspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dqspark.gnn.GraphInputs;
import io.dqspark.gnn.QuantMode;
import io.dqspark.graph.EdgeRules;
import io.dqspark.graph.GraphDataset;
import io.dqspark.graph.Split;
import io.dqspark.loaders.PlanetoidLoader;
import io.dqspark.util.HadoopFiles;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.junit.jupiter.api.Tag;

/**
 * The run protocol on Cora: the network ends holding the parameters of the epoch of lowest
 * validation loss (re-scoring it reproduces that epoch's validation accuracy), patience stops the
 * run, and a seed makes a Degree-Quant run (masks, dropout, initialisation) repeatable.
 */
@Tag("integration")
class NodeClassificationRunTest {
  private static GraphDataset cora() {
    String root = System.getProperty("dq.repo.root", ".");
    return PlanetoidLoader.load(HadoopFiles.withDefaults(),
        Paths.get(root, "data/planetoid/cora").toString(), "cora", EdgeRules.Options.DEFAULT);
  }

  @Test
  void endsOnTheBestValidationEpochAndStopsOnPatience() {
    GraphDataset cora = cora();
    NodeClassificationRun run = new NodeClassificationRun(cora, true);
    TrainingOptions o = TrainingOptions.defaults(Architecture.GCN, false);
    o.epochs = 60;
    o.patience = 5;
    List<Double> losses = new ArrayList<>();
    RunResult r = run.run(o, (epoch, validation, seconds) -> losses.add(validation.loss()));
    assertEquals(r.epochs(), losses.size());
    double lowest = losses.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    assertEquals(lowest, r.validationLoss(), 0);
    assertEquals(losses.indexOf(lowest), r.bestEpoch());
    assertTrue(r.epochs() == 60 || r.epochs() == r.bestEpoch() + 1 + 5, "patience: " + r);
    assertTrue(r.epochs() > 20, "still learning after a few epochs: " + r);

    INDArray[] inputs = GraphInputs.nodeLevel(cora, null, true, DataType.FLOAT);
    INDArray p = run.network().output(false, inputs)[0];
    int[] rows = GraphInputs.rows(cora, Split.VAL);
    int[] labels = java.util.Arrays.stream(rows).map(i -> cora.vertices().label(i)).toArray();
    assertEquals(r.validationAccuracy(), Scores.of(p, rows, labels).accuracy(), 0);
    assertTrue(r.testAccuracy() > 0.6, "GCN after up to 60 epochs: " + r);
    // the softmax head is a fixed identity: the second GCN layer's outputs are the logits
    INDArray head = run.network().getLayer("out").getParam("W");
    assertEquals(org.nd4j.linalg.factory.Nd4j.eye(cora.numClasses()).castTo(head.dataType()), head);
    assertEquals(0, run.network().getLayer("out").getParam("b").sumNumber().doubleValue(), 0);
  }

  @Test
  void degreeQuantRunsRepeatWithTheSeed() {
    GraphDataset cora = cora();
    TrainingOptions o = TrainingOptions.defaults(Architecture.GCN, false);
    o.variant = new Variant(QuantMode.DQ, 4);
    o.epochs = 8;
    o.seed = 3;
    RunResult a = new NodeClassificationRun(cora, true).run(o);
    RunResult b = new NodeClassificationRun(cora, true).run(o.copy());
    assertEquals(a.validationLoss(), b.validationLoss(), 0);
    assertEquals(a.testAccuracy(), b.testAccuracy(), 0);
  }
}
