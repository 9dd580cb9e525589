package io.dqspark.gnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Adam;

/** The configuration survives DL4J's JSON round trip and cloning unchanged. */
class GcnVertexJsonTest {
  @Test
  void computationGraphConfigurationRoundTripsThroughJson() {
    GcnModels.Options o = new GcnModels.Options();
    o.mode = QuantMode.DQ;
    o.bits = 4;
    o.l2 = 0.07;
    o.signedFeatures = false;
    o.seed = 77;
    ComputationGraphConfiguration conf = GcnModels.nodeClassifier(1433, 7, new Adam(0.01), o);
    String json = conf.toJson();
    assertTrue(json.contains(GcnVertex.class.getName()), json);
    ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(json);
    assertEquals(conf, back);
    GcnVertex gcn1 = (GcnVertex) back.getVertices().get("gcn1");
    assertEquals(conf.getVertices().get("gcn1"), gcn1);
    assertEquals(new Adam(0.01), gcn1.getUpdater());
    assertEquals(QuantMode.DQ, gcn1.getMode());
    assertEquals(4, gcn1.getBits());
    assertEquals(0.07, gcn1.getL2());
    assertEquals(json, back.toJson());
  }

  @Test
  void cloneCopiesEveryFieldIncludingTheUpdater() {
    GcnVertex v = new GcnVertex(5, 3, true, 0.25, new Adam(0.02)).quantization(QuantMode.QAT, 4);
    v.setL2(0.1);
    v.setPassThrough(true);
    v.setSignedInput(false);
    v.setMaskSeed(9);
    GcnVertex c = v.clone();
    assertEquals(v, c);
    assertEquals(v.hashCode(), c.hashCode());
    assertNotSame(v.getUpdater(), c.getUpdater());
    c.setMaskSeed(10);
    assertNotEquals(v, c);
  }
}
