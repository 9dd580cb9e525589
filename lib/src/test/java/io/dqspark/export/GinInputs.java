package io.dqspark.export;

import io.dqspark.gnn.GraphInputs;
import io.dqspark.model.GinGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The DL4J network inputs of a graph (or a packed batch) as the integer engine takes them. */
record GinInputs(float[] features, GinGraph graph) {
  static GinInputs of(INDArray[] inputs) {
    GraphInputs.Plain p = GraphInputs.Plain.of(inputs);
    int n = p.nodes();
    float[] features = p.features();
    int[] src = p.src();
    int[] dst = p.dst();
    if (inputs.length <= GraphInputs.NODE_GRAPH) {
      return new GinInputs(features, GinGraph.of(n, src, dst));
    }
    int[] nodeGraph = inputs[GraphInputs.NODE_GRAPH].castTo(DataType.INT).dup('c')
        .reshape(n).toIntVector();
    int graphs = 0;
    for (int g : nodeGraph) {
      graphs = Math.max(graphs, g + 1);
    }
    return new GinInputs(features, GinGraph.of(n, src, dst, nodeGraph, graphs));
  }
}
