package io.dqspark.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dqspark.engine.Kernels;
import io.dqspark.gnn.GraphInputs;
import io.dqspark.graph.EdgeRules;
import io.dqspark.graph.GraphDataset;
import io.dqspark.loaders.PlanetoidLoader;
import io.dqspark.model.FloatGcn;
import io.dqspark.model.GcnGraph;
import io.dqspark.train.Architecture;
import io.dqspark.train.NodeClassificationRun;
import io.dqspark.train.TrainingOptions;
import io.dqspark.train.Variant;
import io.dqspark.util.HadoopFiles;
import java.nio.file.Paths;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.junit.jupiter.api.Tag;

/** The FP32 engine against DL4J's forward of the FP32 GCN it was read from, on all of Cora. */
@Tag("integration")
class FloatGcnCoraTest {
  @Test
  void floatEngineMatchesDl4jOnCora() {
    String root = System.getProperty("dq.repo.root", ".");
    GraphDataset cora = PlanetoidLoader.load(HadoopFiles.withDefaults(),
        Paths.get(root, "data/planetoid/cora").toString(), "cora", EdgeRules.Options.DEFAULT);
    NodeClassificationRun run = new NodeClassificationRun(cora, true);
    TrainingOptions o = TrainingOptions.defaults(Architecture.GCN, false);
    o.variant = Variant.FP32;
    o.epochs = 40;
    o.seed = 3;
    run.run(o);
    ComputationGraph net = run.network();

    INDArray[] inputs = GraphInputs.nodeLevel(cora, null, true, DataType.FLOAT);
    INDArray reference = net.feedForward(inputs, false).get("gcn2");
    GraphInputs.Plain plain = GraphInputs.Plain.of(inputs);
    int n = plain.nodes();
    float[] features = plain.features();
    GcnGraph graph = GcnGraph.of(n, plain.src(), plain.dst());
    FloatGcn engine = FloatGcnExporter.export(net);
    assertEquals(cora.numClasses(), engine.classes());

    // both kernel paths: the selected one (vector here) and the scalar reference
    for (FloatGcn g : new FloatGcn[] {engine, new FloatGcn(engine.layers(), Kernels.scalarFp32())}) {
      float[] logits = g.run(features, graph);
      int[] predicted = FloatGcn.predictions(logits, engine.classes());
      int[] expected = reference.argMax(1).toIntVector();
      double maxError = 0;
      double maxLogit = 0;
      int agree = 0;
      for (int v = 0; v < n; v++) {
        for (int c = 0; c < engine.classes(); c++) {
          double r = reference.getDouble(v, c);
          maxError = Math.max(maxError, Math.abs(logits[v * engine.classes() + c] - r));
          maxLogit = Math.max(maxLogit, Math.abs(r));
        }
        agree += predicted[v] == expected[v] ? 1 : 0;
      }
      System.out.printf("cora fp32 engine: max |logit - DL4J| = %.3g (largest |logit| %.3g), "
          + "same prediction on %d/%d nodes%n", maxError, maxLogit, agree, n);
      assertTrue(maxLogit > 0.5, "the network learned something: largest logit " + maxLogit);
      // float sums of at most 169 terms against DL4J's double arithmetic rounded to float
      assertTrue(maxError <= 1e-5 * Math.max(1, maxLogit), "max error " + maxError);
      assertTrue(agree >= n - 2, agree + "/" + n + " predictions agree");
    }
  }
}
