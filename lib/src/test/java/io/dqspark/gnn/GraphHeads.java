package io.dqspark.gnn;

import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Small graph-level heads for tests: a pooling network, and one dense vertex on its own. */
final class GraphHeads {
  static final String X = "x";
  static final String NODE_GRAPH = "nodeGraph";

  private GraphHeads() {}

  /**
   * Inputs {@code x [N, nIn]} and {@code nodeGraph [N, 1]}: dense1 ({@code nIn -> hidden}, ReLU),
   * pool, dense2 ({@code hidden -> hidden}, ReLU, unsigned input) and a softmax OutputLayer.
   */
  static ComputationGraphConfiguration poolNet(int nIn, int hidden, int classes,
      PoolVertex.Pooling pooling, IUpdater updater, QuantMode mode, int bits, boolean passThrough,
      DataType type) {
    QuantDenseVertex dense1 = new QuantDenseVertex(nIn, hidden, true, 0, updater.clone());
    QuantDenseVertex dense2 = new QuantDenseVertex(hidden, hidden, true, 0, updater.clone());
    dense2.setSignedInput(false);
    for (QuantDenseVertex v : new QuantDenseVertex[] {dense1, dense2}) {
      v.quantization(mode, bits);
      v.setPassThrough(passThrough);
    }
    return GraphNetworks.builder(12345, type, updater, List.of(X, NODE_GRAPH))
        .addVertex("dense1", dense1, X)
        .addVertex("pool", new PoolVertex(pooling), "dense1", NODE_GRAPH)
        .addVertex("dense2", dense2, "pool")
        .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
            .nIn(hidden).nOut(classes).activation(Activation.SOFTMAX).build(), "dense2")
        .setOutputs("out")
        .build();
  }

  /** {@code [rows, 1]} graph positions. */
  static INDArray positions(DataType type, int... graphOf) {
    double[] p = new double[graphOf.length];
    for (int i = 0; i < p.length; i++) {
      p[i] = graphOf[i];
    }
    return Nd4j.create(p, new long[] {p.length, 1}, type);
  }

  /** One {@link QuantDenseVertex} runtime outside any network, with its own parameter and gradient arrays. */
  static final class Dense {
    final QuantDenseVertexImpl vertex;
    final INDArray params;
    final INDArray gradients;

    Dense(QuantDenseVertex conf, DataType type) {
      params = Nd4j.zeros(type, 1, conf.numParams(true));
      gradients = Nd4j.zeros(type, 1, conf.numParams(true));
      vertex = (QuantDenseVertexImpl) conf.instantiate(null, "dense", 0, params, true, type);
      vertex.setBackpropGradientsViewArray(gradients);
    }

    INDArray param(String key) {
      return vertex.paramTable(false).get(key);
    }

    INDArray forward(INDArray x, boolean training) {
      vertex.setInputs(new INDArray[] {x});
      return vertex.doForward(training, LayerWorkspaceMgr.noWorkspaces());
    }

    /** Backward with {@code epsilon}; returns the input's epsilon. */
    INDArray backward(INDArray epsilon) {
      vertex.setEpsilon(epsilon);
      INDArray[] eps = vertex.doBackward(false, LayerWorkspaceMgr.noWorkspaces()).getSecond();
      if (eps.length != 1) {
        throw new AssertionError("one input, one epsilon; got " + eps.length);
      }
      return eps[0];
    }

    /** One training step alone: forward, backward with a random epsilon, then {@code q -= dq}. */
    INDArray trainStep(INDArray x) {
      INDArray y = forward(x, true);
      backward(Nd4j.rand(y.dataType(), y.shape()).subi(0.5));
      vertex.state().subi(vertex.gradViews[vertex.gradViews.length - 1]);
      return y;
    }
  }
}
