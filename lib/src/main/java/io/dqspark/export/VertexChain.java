package io.dqspark.export;

import io.dqspark.util.DqInputException;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The message-passing vertices of a node classifier in forward order, after checking that they
 * form one chain from the features into the fixed identity softmax head: the shape GCN and GAT
 * node classifiers have ({@code NodeClassifiers}), and the only one their integer models can hold.
 */
final class VertexChain {
  private VertexChain() {}

  static <T extends GraphVertex> List<T> of(ComputationGraph net, Class<T> type, String label) {
    GraphVertex[] vertices = net.getVertices();
    List<T> chain = new ArrayList<>();
    GraphVertex previous = null;
    for (int index : net.topologicalSortOrder()) {
      GraphVertex v = vertices[index];
      if (v.isInputVertex()) {
        continue;
      }
      if (type.isInstance(v)) {
        GraphVertex feeder = vertices[v.getInputVertices()[0].getVertexIndex()];
        if (previous == null ? !feeder.isInputVertex() : feeder != previous) {
          throw new DqInputException(label + " vertex '" + v.getVertexName() + "' is fed by '"
              + feeder.getVertexName() + "': only a chain of " + label + " layers can be exported");
        }
        chain.add(type.cast(v));
        previous = v;
      } else if (v.hasLayer()) {
        checkIdentityHead(v, previous, label);
      } else {
        throw new DqInputException("vertex '" + v.getVertexName() + "' ("
            + v.getClass().getSimpleName() + ") cannot be exported in a " + label + " model");
      }
    }
    if (chain.isEmpty()) {
      throw new DqInputException("the network has no " + label + " vertex");
    }
    return chain;
  }

  /** A layer after the chain must be the identity head, whose logits are the last vertex's outputs. */
  private static void checkIdentityHead(GraphVertex v, GraphVertex previous, String label) {
    INDArray w = v.getLayer().getParam("W");
    INDArray b = v.getLayer().getParam("b");
    boolean identity = previous != null
        && v.getInputVertices()[0].getVertexIndex() == previous.getVertexIndex()
        && w != null && w.rank() == 2 && w.size(0) == w.size(1)
        && w.equals(Nd4j.eye(w.size(0)).castTo(w.dataType()))
        && (b == null || b.sumNumber().doubleValue() == 0 && b.amaxNumber().doubleValue() == 0);
    if (!identity) {
      throw new DqInputException("layer '" + v.getVertexName() + "' is not the identity softmax "
          + "head after the last " + label + " vertex: its weights cannot be exported");
    }
  }
}
