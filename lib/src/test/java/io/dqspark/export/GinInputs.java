package io.dqspark.export;

import io.dqspark.gnn.GraphInputs;
import io.dqspark.model.GinGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The DL4J network inputs of a graph (or a packed batch) as the integer engine takes them. */
record GinInputs(float[] features, GinGraph graph) {
  static GinInputs of(INDArray[] inputs) {
    GraphInputs.Plain p = GraphInputs.Plain.of(inputs);
    return new GinInputs(p.features(), GinGraph.of(p.nodes(), p.src(), p.dst(), p.nodeGraph(), p.graphs()));
  }
}
