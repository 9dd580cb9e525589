package io.dqspark.gnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dqspark.gnn.GatVertex.Activation;
import java.util.List;
import java.util.function.Consumer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;

/** The configuration survives DL4J's JSON round trip and cloning unchanged. */
class GatVertexJsonTest {
  @Test
  void computationGraphConfigurationRoundTripsThroughJson() {
    GatVertex gat1 = GatVertices.gat(1433, 8, 8, true, Activation.ELU, new Adam(0.005));
    gat1.setDropout(0.6);
    gat1.setAttentionDropout(0.6);
    gat1.setL2(0.07);
    gat1.setSignedInput(false);
    GatVertex gat2 = GatVertices.gat(64, 7, 1, false, Activation.NONE, new Adam(0.005));
    ComputationGraphConfiguration conf = GatVertices.twoLayerNet(gat1, gat2, 7, new Adam(0.005),
        QuantMode.DQ, 4, false, DataType.FLOAT);
    String json = conf.toJson();
    assertTrue(json.contains(GatVertex.class.getName()), json);
    ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(json);
    assertEquals(conf, back);
    GatVertex b1 = (GatVertex) back.getVertices().get("gat1");
    assertEquals(conf.getVertices().get("gat1"), b1);
    assertEquals(8, b1.getHeads());
    assertEquals(8, b1.getOutPerHead());
    assertTrue(b1.isConcat());
    assertEquals(Activation.ELU, b1.getActivation());
    assertEquals(0.6, b1.getDropout());
    assertEquals(0.6, b1.getAttentionDropout());
    assertEquals(0.07, b1.getL2());
    assertEquals(new Adam(0.005), b1.getUpdater());
    assertEquals(QuantMode.DQ, b1.getMode());
    assertEquals(4, b1.getBits());
    assertEquals(false, b1.isSignedInput());
    GatVertex b2 = (GatVertex) back.getVertices().get("gat2");
    assertEquals(false, b2.isConcat());
    assertEquals(Activation.NONE, b2.getActivation());
    assertEquals(json, back.toJson());
  }

  @Test
  void cloneCopiesEveryFieldIncludingTheUpdater() {
    GatVertex v = GatVertices.gat(5, 3, 2, false, Activation.RELU, new Adam(0.02)).quantization(QuantMode.QAT, 4);
    v.setDropout(0.25);
    v.setAttentionDropout(0.125);
    v.setL2(0.1);
    v.setPassThrough(true);
    v.setSignedInput(false);
    v.setMaskSeed(9);
    GatVertex c = v.clone();
    assertEquals(v, c);
    assertEquals(v.hashCode(), c.hashCode());
    assertNotSame(v.getUpdater(), c.getUpdater());
    assertEquals(v.toString(), c.toString());

    List<Consumer<GatVertex>> changes = List.of(
        x -> x.setNIn(6), x -> x.setOutPerHead(4), x -> x.setHeads(3), x -> x.setConcat(true),
        x -> x.setActivation(Activation.ELU), x -> x.setDropout(0.5), x -> x.setAttentionDropout(0.5),
        x -> x.setL2(0.2), x -> x.setUpdater(new Sgd(0.1)), x -> x.setMode(QuantMode.DQ), x -> x.setBits(8),
        x -> x.setPassThrough(false), x -> x.setSignedInput(true), x -> x.setMaskSeed(10));
    for (int i = 0; i < changes.size(); i++) {
      GatVertex changed = v.clone();
      changes.get(i).accept(changed);
      assertNotEquals(v, changed, "change " + i);
    }
  }
}
