package io.dqspark.export;

import io.dqspark.gnn.GraphInputs;
import io.dqspark.graph.EdgeRules;
import io.dqspark.graph.GraphDataset;
import io.dqspark.graph.Split;
import io.dqspark.loaders.PlanetoidLoader;
import io.dqspark.model.GcnGraph;
import io.dqspark.model.IntegerGcn;
import io.dqspark.quant.QuantParams;
import io.dqspark.util.HadoopFiles;
import java.nio.file.Paths;
import java.util.function.BiFunction;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Integer node scoring of all of Cora against the DL4J fake-quant network it was exported from. */
record NodeAgreement(int agree, int nodes, double accInt, double accFake, int differing,
    int logits, int maxSteps) {

  static GraphDataset cora() {
    String root = System.getProperty("dq.repo.root", ".");
    return PlanetoidLoader.load(HadoopFiles.withDefaults(),
        Paths.get(root, "data/planetoid/cora").toString(), "cora", EdgeRules.Options.DEFAULT);
  }

  /**
   * @param lastVertex the vertex whose activations are the dequantized logit codes
   * @param engine runs the integer model on the float features and the graph
   */
  static NodeAgreement compare(GraphDataset cora, ComputationGraph net, String lastVertex,
      BiFunction<float[], GcnGraph, IntegerGcn.Result> engine, String label) {
    INDArray[] inputs = GraphInputs.nodeLevel(cora, null, true, DataType.FLOAT);
    INDArray fakeQuant = net.output(false, inputs)[0];
    INDArray logits = net.feedForward(inputs, false).get(lastVertex);

    GraphInputs.Plain plain = GraphInputs.Plain.of(inputs);
    int n = plain.nodes();
    long t0 = System.nanoTime();
    IntegerGcn.Result out = engine.apply(plain.features(), GcnGraph.of(n, plain.src(), plain.dst()));
    double seconds = (System.nanoTime() - t0) / 1e9;
    int[] predicted = out.predictions();

    int[] reference = fakeQuant.argMax(1).toIntVector();
    int agree = 0;
    for (int v = 0; v < n; v++) {
      agree += predicted[v] == reference[v] ? 1 : 0;
    }
    // logits compared in output quantization steps
    QuantParams po = out.params();
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
    NodeAgreement c = new NodeAgreement(agree, n, (double) correctInt / test.length,
        (double) correctFake / test.length, differing, n * out.classes(), maxSteps);
    System.out.printf("cora %s: integer/fake-quant agreement %d/%d = %.4f; test accuracy integer "
        + "%.4f, fake-quant %.4f; logit codes differing %d of %d, at most %d step(s); integer "
        + "scoring %.3f s%n", label, agree, n, (double) agree / n, c.accInt(), c.accFake(),
        differing, c.logits(), maxSteps, seconds);
    return c;
  }
}
