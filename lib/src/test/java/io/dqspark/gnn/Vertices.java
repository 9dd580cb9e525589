package io.dqspark.gnn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A {@link GcnVertexImpl} outside any network, with its own parameter and gradient arrays. */
final class Vertices {
  final GcnVertexImpl vertex;
  final INDArray params;
  final INDArray gradients;

  Vertices(GcnVertex conf, DataType type) {
    params = Nd4j.zeros(type, 1, conf.numParams(true));
    gradients = Nd4j.zeros(type, 1, conf.numParams(true));
    vertex = (GcnVertexImpl) conf.instantiate(null, "gcn", 0, params, true, type);
    vertex.setBackpropGradientsViewArray(gradients);
  }

  /** Sets the vertex inputs from the network inputs of {@link GraphInputs} (features replaced by x). */
  void setInputs(INDArray[] graph, INDArray x) {
    vertex.setInputs(new INDArray[] {x, graph[GraphInputs.HEADER], graph[GraphInputs.MASK_PROB],
        graph[GraphInputs.EDGES]});
  }

  /** What the optimizer does to the state with its NoOp updater: {@code q -= dq}. */
  void applyStateGradient() {
    long offset = params.length() - GcnVertexImpl.STATE_LENGTH;
    INDArray flatParams = params.reshape(params.length());
    INDArray flatGrads = gradients.reshape(gradients.length());
    for (long i = offset; i < params.length(); i++) {
      flatParams.putScalar(i, flatParams.getDouble(i) - flatGrads.getDouble(i));
    }
  }

  /** One training step of the vertex alone: forward, backward with a random epsilon, state update. */
  INDArray trainStep(INDArray[] graph, INDArray x) {
    setInputs(graph, x);
    INDArray y = vertex.doForward(true, org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces());
    vertex.setEpsilon(Nd4j.rand(y.dataType(), y.shape()).subi(0.5));
    vertex.doBackward(false, org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces());
    applyStateGradient();
    return y;
  }

  static double[][] rows(INDArray a) {
    return a.castTo(DataType.DOUBLE).toDoubleMatrix();
  }
}
