package io.dqspark.gnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;

/** The configuration survives DL4J's JSON round trip and cloning unchanged. */
class GinVertexJsonTest {
  @Test
  void computationGraphConfigurationRoundTripsThroughJson() {
    ComputationGraphConfiguration conf = GinVertices.twoLayerNet(37, 64, 2, new Adam(0.005),
        QuantMode.DQ, 4, false, DataType.FLOAT);
    ((GinVertex) conf.getVertices().get("gin1")).setL2(2e-4);
    String json = conf.toJson();
    assertTrue(json.contains(GinVertex.class.getName()), json);
    ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(json);
    assertEquals(conf, back);
    GinVertex gin1 = (GinVertex) back.getVertices().get("gin1");
    GinVertex gin2 = (GinVertex) back.getVertices().get("gin2");
    assertEquals(conf.getVertices().get("gin1"), gin1);
    assertEquals(conf.getVertices().get("gin2"), gin2);
    assertEquals(new Adam(0.005), gin1.getUpdater());
    assertEquals(QuantMode.DQ, gin1.getMode());
    assertEquals(4, gin1.getBits());
    assertEquals(2e-4, gin1.getL2());
    assertEquals(64, gin1.getHidden());
    assertTrue(gin1.isOutputRelu());
    assertTrue(!gin2.isOutputRelu() && !gin2.isSignedInput());
    assertEquals(5, gin2.getMaskSeed());
    assertEquals(json, back.toJson());
  }

  @Test
  void cloneCopiesEveryFieldIncludingTheUpdater() {
    GinVertex v = new GinVertex(5, 3, true, new Adam(0.02)).quantization(QuantMode.QAT, 4);
    v.setL2(0.1);
    v.setPassThrough(true);
    v.setSignedInput(false);
    v.setMaskSeed(9);
    GinVertex c = v.clone();
    assertEquals(v, c);
    assertEquals(v.hashCode(), c.hashCode());
    assertNotSame(v.getUpdater(), c.getUpdater());
    c.setMaskSeed(10);
    assertNotEquals(v, c);
    GinVertex d = v.clone();
    d.setOutputRelu(false);
    assertNotEquals(v, d);
    GinVertex e = v.clone();
    e.setHidden(4);
    assertNotEquals(v, e);
    assertEquals(v.numParams(true) + 5 + 1 + (16 - 9) + 1, e.numParams(true), "W1, b1, W2, b2 grow with hidden");
  }
}
