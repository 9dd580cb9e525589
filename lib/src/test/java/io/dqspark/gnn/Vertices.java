package io.dqspark.gnn;

import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** One vertex runtime outside any network, with its own parameter and gradient arrays. */
final class Vertices<V extends QuantizedVertexImpl<?, ?>> {
  final V vertex;
  final INDArray params;
  final INDArray gradients;

  @SuppressWarnings("unchecked")
  private Vertices(QuantizedGraphVertex<?> conf, String name, DataType type) {
    params = Nd4j.zeros(type, 1, conf.numParams(true));
    gradients = Nd4j.zeros(type, 1, conf.numParams(true));
    vertex = (V) conf.instantiate(null, name, 0, params, true, type);
    vertex.setBackpropGradientsViewArray(gradients);
  }

  static Vertices<GcnVertexImpl> of(GcnVertex conf, DataType type) {
    return new Vertices<>(conf, "gcn", type);
  }

  static Vertices<GinVertexImpl> of(GinVertex conf, DataType type) {
    return new Vertices<>(conf, "gin", type);
  }

  static Vertices<GatVertexImpl> of(GatVertex conf, DataType type) {
    return new Vertices<>(conf, "gat", type);
  }

  INDArray param(String key) {
    return vertex.paramTable(false).get(key);
  }

  /** Sets the vertex inputs from the network inputs of {@link GraphInputs} (features replaced by x). */
  void setInputs(INDArray[] graph, INDArray x) {
    vertex.setInputs(new INDArray[] {x, graph[GraphInputs.HEADER], graph[GraphInputs.MASK_PROB],
        graph[GraphInputs.EDGES]});
  }

  /** What the optimizer does to the state with its NoOp updater: {@code q -= dq}. */
  void applyStateGradient() {
    vertex.state().subi(vertex.gradViews[vertex.gradViews.length - 1]);
  }

  /** One training step of the vertex alone: forward, backward with a random epsilon, state update. */
  INDArray trainStep(INDArray[] graph, INDArray x) {
    setInputs(graph, x);
    INDArray y = vertex.doForward(true, LayerWorkspaceMgr.noWorkspaces());
    vertex.setEpsilon(Nd4j.rand(y.dataType(), y.shape()).subi(0.5));
    vertex.doBackward(false, LayerWorkspaceMgr.noWorkspaces());
    applyStateGradient();
    return y;
  }

  static double[][] rows(INDArray a) {
    return a.castTo(DataType.DOUBLE).toDoubleMatrix();
  }
}
