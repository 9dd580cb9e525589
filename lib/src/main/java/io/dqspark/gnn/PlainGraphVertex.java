package io.dqspark.gnn;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.BaseGraphVertex;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the project's hand-written vertices answer alike to DL4J: they are not DL4J {@code Layer}s,
 * and they pass no mask on (a graph's rows are nodes or graphs, never padded time steps).
 */
abstract class PlainGraphVertex extends BaseGraphVertex {
  PlainGraphVertex(ComputationGraph graph, String name, int index, DataType dataType) {
    super(graph, name, index, null, null, dataType);
  }

  @Override
  public final boolean hasLayer() {
    return false;
  }

  @Override
  public final org.deeplearning4j.nn.api.Layer getLayer() {
    return null;
  }

  @Override
  public final Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays,
      MaskState currentMaskState, int minibatchSize) {
    return new Pair<>(null, currentMaskState);
  }
}
