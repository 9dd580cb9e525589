package io.dqspark.gnn;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** A {@link GinVertexImpl} outside any network, and a small two-GIN network for tests. */
final class GinVertices {
  final GinVertexImpl vertex;
  final INDArray params;
  final INDArray gradients;

  GinVertices(GinVertex conf, DataType type) {
    params = Nd4j.zeros(type, 1, conf.numParams(true));
    gradients = Nd4j.zeros(type, 1, conf.numParams(true));
    vertex = (GinVertexImpl) conf.instantiate(null, "gin", 0, params, true, type);
    vertex.setBackpropGradientsViewArray(gradients);
  }

  INDArray param(String key) {
    return vertex.paramTable(false).get(key);
  }

  void setInputs(INDArray[] graph, INDArray x) {
    vertex.setInputs(new INDArray[] {x, graph[GraphInputs.HEADER], graph[GraphInputs.MASK_PROB],
        graph[GraphInputs.EDGES]});
  }

  /** One training step of the vertex alone: forward, backward with a random epsilon, {@code q -= dq}. */
  INDArray trainStep(INDArray[] graph, INDArray x) {
    setInputs(graph, x);
    INDArray y = vertex.doForward(true, LayerWorkspaceMgr.noWorkspaces());
    vertex.setEpsilon(Nd4j.rand(y.dataType(), y.shape()).subi(0.5));
    vertex.doBackward(false, LayerWorkspaceMgr.noWorkspaces());
    long offset = params.length() - GinVertexImpl.STATE_LENGTH;
    INDArray flatParams = params.reshape(params.length());
    INDArray flatGrads = gradients.reshape(gradients.length());
    for (long i = offset; i < params.length(); i++) {
      flatParams.putScalar(i, flatParams.getDouble(i) - flatGrads.getDouble(i));
    }
    return y;
  }

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
    String header = GraphInputs.NAMES.get(GraphInputs.HEADER);
    String maskProb = GraphInputs.NAMES.get(GraphInputs.MASK_PROB);
    String edges = GraphInputs.NAMES.get(GraphInputs.EDGES);
    return new NeuralNetConfiguration.Builder()
        .seed(12345)
        .dataType(type)
        .updater(updater.clone())
        .miniBatch(false)
        .graphBuilder()
        .addInputs(GraphInputs.NAMES)
        .addVertex("gin1", gin1, GraphInputs.NAMES.get(GraphInputs.FEATURES), header, maskProb, edges)
        .addVertex("gin2", gin2, "gin1", header, maskProb, edges)
        .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
            .nIn(hidden).nOut(classes).activation(Activation.SOFTMAX).build(), "gin2")
        .setOutputs("out")
        .build();
  }
}
