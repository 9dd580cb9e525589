package io.dqspark.export;

import io.dqspark.gnn.GraphInputs;
import io.dqspark.model.GinGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The DL4J network inputs of a graph (or a packed batch) as the integer engine takes them. */
record GinInputs(float[] features, GinGraph graph) {
  static GinInputs of(INDArray[] inputs) {
    INDArray x = inputs[GraphInputs.FEATURES];
    int n = (int) x.size(0);
    float[] features = x.castTo(DataType.FLOAT).dup('c').reshape(x.length()).toFloatVector();
    INDArray edges = inputs[GraphInputs.EDGES];
    int e = (int) edges.size(0);
    int[] src = new int[e];
    int[] dst = new int[e];
    for (int i = 0; i < e; i++) {
      src[i] = edges.getInt(i, 0);
      dst[i] = edges.getInt(i, 1);
    }
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
