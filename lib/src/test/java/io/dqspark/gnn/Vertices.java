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

  static double[][] rows(INDArray a) {
    return a.castTo(DataType.DOUBLE).toDoubleMatrix();
  }
}
