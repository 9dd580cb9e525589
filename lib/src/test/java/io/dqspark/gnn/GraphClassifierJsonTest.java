package io.dqspark.gnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Adam;

/** The graph classifier's configuration, with its pool and dense vertices, survives JSON and cloning. */
class GraphClassifierJsonTest {
  @Test
  void graphClassifierRoundTripsThroughJson() {
    GinModels.Options o = new GinModels.Options();
    o.mode = QuantMode.DQ;
    o.bits = 4;
    o.l2 = 2e-4;
    o.pooling = PoolVertex.Pooling.SUM;
    o.signedFeatures = false;
    ComputationGraphConfiguration conf = GinModels.graphClassifier(7, 2, new Adam(0.005), o);
    String json = conf.toJson();
    assertTrue(json.contains(PoolVertex.class.getName()), json);
    assertTrue(json.contains(QuantDenseVertex.class.getName()), json);
    ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(json);
    assertEquals(conf, back);
    assertEquals(json, back.toJson());
    assertEquals(GraphInputs.GRAPH_LEVEL_NAMES, back.getNetworkInputs());

    assertEquals(new PoolVertex(PoolVertex.Pooling.SUM), back.getVertices().get(GinModels.POOL));
    QuantDenseVertex lin1 = (QuantDenseVertex) back.getVertices().get(GinModels.LIN1);
    assertEquals(conf.getVertices().get(GinModels.LIN1), lin1);
    assertEquals(new Adam(0.005), lin1.getUpdater());
    assertEquals(QuantMode.DQ, lin1.getMode());
    assertEquals(4, lin1.getBits());
    assertEquals(2e-4, lin1.getL2());
    assertTrue(lin1.isRelu());
    assertFalse(lin1.isSignedInput(), "a pool of ReLU outputs");
    assertEquals(64, lin1.getNIn());
    assertEquals(64, lin1.getNOut());

    GinVertex gin1 = (GinVertex) back.getVertices().get(GinModels.ginName(0));
    GinVertex gin3 = (GinVertex) back.getVertices().get(GinModels.ginName(2));
    assertEquals(7, gin1.getNIn());
    assertFalse(gin1.isSignedInput(), "signedFeatures = false");
    assertFalse(gin3.isSignedInput(), "after a ReLU");
    assertTrue(gin3.isOutputRelu());
    assertEquals(null, back.getVertices().get(GinModels.ginName(3)), "three GIN layers by default");
    OutputLayer out = (OutputLayer) ((LayerVertex) back.getVertices().get(GinModels.OUTPUT))
        .getLayerConf().getLayer();
    assertEquals(0.5, ((Dropout) out.getIDropout()).getP(), "keep probability 1 - dropout");
  }

  @Test
  void denseCloneCopiesEveryFieldIncludingTheUpdater() {
    QuantDenseVertex v = new QuantDenseVertex(5, 3, true, 0.25, new Adam(0.02))
        .quantization(QuantMode.QAT, 4);
    v.setL2(0.1);
    v.setPassThrough(true);
    v.setSignedInput(false);
    QuantDenseVertex c = v.clone();
    assertEquals(v, c);
    assertEquals(v.hashCode(), c.hashCode());
    assertNotSame(v.getUpdater(), c.getUpdater());
    c.setDropout(0.5);
    assertNotEquals(v, c);
    QuantDenseVertex d = v.clone();
    d.setRelu(false);
    assertNotEquals(v, d);
    QuantDenseVertex e = v.clone();
    e.setNOut(4);
    assertNotEquals(v, e);
    assertEquals(5 * 4 + 4 + QuantDenseVertexImpl.STATE_LENGTH, e.numParams(true));
    assertEquals(1, v.minVertexInputs());
    assertEquals(1, v.maxVertexInputs());
  }
}
