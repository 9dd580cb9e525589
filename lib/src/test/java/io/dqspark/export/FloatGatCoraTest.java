package io.dqspark.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dqspark.engine.Kernels;
import io.dqspark.gnn.GatVertex;
import io.dqspark.gnn.GatVertexImpl;
import io.dqspark.gnn.GcnModels;
import io.dqspark.gnn.GraphInputs;
import io.dqspark.gnn.GraphNetworks;
import io.dqspark.graph.GraphDataset;
import io.dqspark.model.FloatGat;
import io.dqspark.model.GatLayer;
import io.dqspark.model.GcnGraph;
import io.dqspark.train.Architecture;
import io.dqspark.train.NodeClassificationRun;
import io.dqspark.train.RunResult;
import io.dqspark.train.TrainingOptions;
import io.dqspark.train.Variant;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.junit.jupiter.api.Tag;

/** The FP32 GAT engine against DL4J's forward of the FP32 GAT it was read from, on all of Cora. */
@Tag("integration")
class FloatGatCoraTest {
  /**
   * Bound on {@code |engine - DL4J|} per logit, relative to {@code max(1, |logit|)}. DL4J's product
   * is float and its attention double rounded to float, summed in other orders, so the two differ
   * by a few float roundings: measured 1.2e-7 (trained) and 3.0e-7 (averaged heads). The bound
   * leaves room for another BLAS's summation order; a LeakyReLU slope of 0.3 instead of 0.2 moves
   * the logits by 2.4e-4 to 2.8e-3.
   */
  private static final double TOLERANCE = 2e-6;

  /** Veličković et al.'s GAT (8 concatenated ELU heads of 8, one head of 7 logits), trained. */
  @Test
  void floatEngineMatchesDl4jOnTrainedCoraGat() {
    GraphDataset cora = NodeAgreement.cora();
    NodeClassificationRun run = new NodeClassificationRun(cora, true);
    TrainingOptions o = TrainingOptions.defaults(Architecture.GAT, false);
    o.variant = Variant.FP32;
    o.epochs = 30;
    o.seed = 3;
    RunResult r = run.run(o);
    System.out.println("trained: " + r);
    ComputationGraph net = run.network();

    FloatGat engine = GatExporter.floatModel(net);
    assertEquals(2, engine.layers().size());
    FloatGat.Layer first = engine.layers().get(0);
    assertEquals(8, first.heads());
    assertTrue(first.concat());
    assertEquals(GatLayer.Activation.ELU, first.activation());
    assertEquals(cora.numClasses(), engine.classes());
    compare(cora, net, engine, "trained GAT");
  }

  /**
   * Averaged heads (more than one), ReLU and no activation, which the Planetoid GAT does not use:
   * an untrained network with every parameter drawn at random, the biases included.
   */
  @Test
  void floatEngineMatchesDl4jWithAveragedHeads() {
    GraphDataset cora = NodeAgreement.cora();
    Adam adam = new Adam(0.01);
    GatVertex gat1 = new GatVertex(cora.featureDim(), 8, 3, false, adam.clone());
    gat1.setActivation(GatVertex.Activation.RELU);
    GatVertex gat2 = new GatVertex(8, cora.numClasses(), 2, false, adam.clone());
    ComputationGraph net = new ComputationGraph(GraphNetworks.addGraphLayer(GraphNetworks.addGraphLayer(
        GraphNetworks.builder(11, DataType.FLOAT, adam, GraphInputs.NAMES),
        "gat1", gat1, GraphNetworks.features()), "gat2", gat2, "gat1")
        .addLayer("out", GcnModels.softmaxHead(cora.numClasses(), adam), "gat2")
        .setOutputs("out")
        .build());
    net.init();
    Nd4j.getRandom().setSeed(5);
    for (String name : new String[] {"gat1", "gat2"}) {
      Map<String, INDArray> t = ((GatVertexImpl) net.getVertex(name)).paramTable(false);
      for (String key : new String[] {GatVertexImpl.ATT_SRC_KEY, GatVertexImpl.ATT_DST_KEY,
          GatVertexImpl.BIAS_KEY}) {
        INDArray p = t.get(key);
        // attention large enough that the softmax is far from uniform
        p.assign(Nd4j.randn(p.dataType(), p.shape()).muli(key.equals(GatVertexImpl.BIAS_KEY) ? 0.5 : 3));
      }
    }
    FloatGat engine = GatExporter.floatModel(net);
    assertEquals(GatLayer.Activation.RELU, engine.layers().get(0).activation());
    assertEquals(GatLayer.Activation.NONE, engine.layers().get(1).activation());
    compare(cora, net, engine, "averaged heads");
  }

  private static void compare(GraphDataset cora, ComputationGraph net, FloatGat engine, String label) {
    INDArray[] inputs = GraphInputs.nodeLevel(cora, null, true, DataType.FLOAT);
    INDArray reference = net.feedForward(inputs, false).get("gat2");
    int[] expected = net.output(false, inputs)[0].argMax(1).toIntVector();
    GraphInputs.Plain plain = GraphInputs.Plain.of(inputs);
    int n = plain.nodes();
    int classes = engine.classes();
    assertEquals(classes, reference.size(1));
    GcnGraph graph = GcnGraph.of(n, plain.src(), plain.dst());

    // both kernel paths: the selected one and the scalar reference
    for (FloatGat g : new FloatGat[] {engine, new FloatGat(engine.layers(), Kernels.scalarFp32())}) {
      float[] logits = g.run(plain.features(), graph);
      assertEquals((long) n * classes, logits.length);
      int[] predicted = FloatGat.predictions(logits, classes);
      double maxError = 0;
      double maxRelative = 0;
      double maxLogit = 0;
      int agree = 0;
      for (int v = 0; v < n; v++) {
        for (int c = 0; c < classes; c++) {
          double ref = reference.getDouble(v, c);
          double err = Math.abs(logits[v * classes + c] - ref);
          maxError = Math.max(maxError, err);
          maxRelative = Math.max(maxRelative, err / Math.max(1, Math.abs(ref)));
          maxLogit = Math.max(maxLogit, Math.abs(ref));
        }
        agree += predicted[v] == expected[v] ? 1 : 0;
      }
      System.out.printf("cora fp32 GAT engine (%s, %s kernels): max |logit - DL4J| = %.3g, "
          + "relative to max(1, |logit|) %.3g (largest |logit| %.3g), same prediction on %d/%d "
          + "nodes%n", label, g == engine ? "selected" : "scalar", maxError, maxRelative, maxLogit,
          agree, n);
      assertTrue(maxLogit > 0.5, label + ": logits far from 0, largest " + maxLogit);
      assertTrue(maxRelative <= TOLERANCE, label + ": max error " + maxError
          + ", relative " + maxRelative);
      assertEquals(n, agree, label + ": " + agree + "/" + n + " predictions agree");
    }
  }
}
