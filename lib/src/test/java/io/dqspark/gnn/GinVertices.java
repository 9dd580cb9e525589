package io.dqspark.gnn;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** A small network of two GIN vertices for tests (single vertices: {@link Vertices}). */
final class GinVertices {
  private GinVertices() {}

  /**
   * gin1 ({@code nIn -> hidden}, output ReLU), gin2 ({@code hidden -> hidden}, no output ReLU,
   * unsigned input) and a softmax OutputLayer ({@code hidden -> classes}).
   */
  static ComputationGraphConfiguration twoLayerNet(int nIn, int hidden, int classes,
      IUpdater updater, QuantMode mode, int bits, boolean passThrough, DataType type) {
    GinVertex gin1 = new GinVertex(nIn, hidden, true, updater.clone()).quantization(mode, bits);
    GinVertex gin2 = new GinVertex(hidden, hidden, false, updater.clone()).quantization(mode, bits);
    gin2.setSignedInput(false);
    for (GinVertex v : new GinVertex[] {gin1, gin2}) {
      v.setPassThrough(passThrough);
      v.setMaskSeed(5);
    }
    GraphBuilder b = GraphNetworks.builder(12345, type, updater, GraphInputs.NAMES);
    GraphNetworks.addGraphLayer(b, "gin1", gin1, GraphNetworks.features());
    GraphNetworks.addGraphLayer(b, "gin2", gin2, "gin1");
    return b
        .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
            .nIn(hidden).nOut(classes).activation(Activation.SOFTMAX).build(), "gin2")
        .setOutputs("out")
        .build();
  }
}
