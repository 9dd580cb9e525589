package io.dqspark.gnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * A GIN layer reading the network's features quantizes each source node once and never stores
 * its messages; the same layer on its own stores and quantizes every message. Both must give the
 * same outputs, bit for bit, and observe the same message ranges, in training (with DQ's masks)
 * and in evaluation.
 */
class GinMessagePathTest {
  private static final LayerWorkspaceMgr NO_WS = LayerWorkspaceMgr.noWorkspaces();

  @Test
  void nodeQuantizedMessagesEqualEdgeQuantizedMessages() {
    for (QuantMode mode : new QuantMode[] {QuantMode.DQ, QuantMode.QAT}) {
      for (int bits : new int[] {8, 4}) {
        String what = mode + " int" + bits;
        TinyGraph g = new TinyGraph(23);
        INDArray[] in = g.inputs(DataType.DOUBLE);
        ComputationGraph net = new ComputationGraph(GinVertices.twoLayerNet(TinyGraph.F, 6, 3,
            new NoOp(), mode, bits, false, DataType.DOUBLE));
        net.init();
        GinVertexImpl inNet = (GinVertexImpl) net.getVertex("gin1");
        assertTrue(inNet.featuresFromNetworkInput(), what + ": the network's gin1 takes the node path");
        Vertices<GinVertexImpl> alone = Vertices.of(inNet.getVertexConf().clone(), DataType.DOUBLE);
        alone.params.assign(inNet.params());
        for (int step = 0; step < 4; step++) {
          // both start the step from the same state: step counter (DQ's mask) and ranges
          inNet.state().assign(alone.vertex.state());
          double[] fromNet = NdArrays.toDouble(net.feedForward(in, true).get("gin1"));
          double[] fromAlone = NdArrays.toDouble(alone.trainStep(in, in[GraphInputs.FEATURES]));
          assertArrayEquals(fromAlone, fromNet, 0.0, what + ": training step " + step);
          assertEquals(alone.vertex.quantPoint(GinPoint.MESSAGE).params(),
              inNet.quantPoint(GinPoint.MESSAGE).params(), what + ": message range after step " + step);
        }
        inNet.state().assign(alone.vertex.state());
        alone.setInputs(in, in[GraphInputs.FEATURES]);
        inNet.setInputs(new INDArray[] {in[GraphInputs.FEATURES], in[GraphInputs.HEADER],
            in[GraphInputs.MASK_PROB], in[GraphInputs.EDGES]});
        double[] evalNet = NdArrays.toDouble(inNet.doForward(false, NO_WS)); // gin2 has no range
        double[] evalAlone = NdArrays.toDouble(alone.vertex.doForward(false, NO_WS));
        assertArrayEquals(evalAlone, evalNet, 0.0, what + ": evaluation");
      }
    }
  }
}
