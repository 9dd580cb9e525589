package io.dqspark.train;

import io.dqspark.gnn.GatVertex;
import io.dqspark.gnn.GraphNetworks;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * Veličković et al.'s Planetoid GAT: {@code heads x hidden} concatenated ELU attention heads, then
 * one head of {@code classes} outputs, dropout on both layers' inputs and attention coefficients,
 * weight decay on every weight matrix.
 */
final class GatNodeClassifier {
  private GatNodeClassifier() {}

  static ComputationGraphConfiguration build(TrainingOptions o, int nIn, int classes, double l2,
      boolean signedFeatures) {
    IUpdater updater = o.updater();
    GatVertex gat1 = new GatVertex(nIn, o.hidden, o.heads, true, updater.clone());
    gat1.setActivation(GatVertex.Activation.ELU);
    gat1.setSignedInput(signedFeatures);
    GatVertex gat2 = new GatVertex(o.hidden * o.heads, classes, 1, false, updater.clone());
    gat2.setSignedInput(true); // after ELU
    for (GatVertex v : new GatVertex[] {gat1, gat2}) {
      v.setDropout(o.dropout);
      v.setAttentionDropout(o.attentionDropout);
      v.quantization(o.mode(), o.variant.layerBits());
      v.setMaskSeed(o.seed);
      v.setL2(l2);
    }
    GraphBuilder b = NodeClassifiers.base(o, updater);
    GraphNetworks.addGraphLayer(b, "gat1", gat1, GraphNetworks.features());
    GraphNetworks.addGraphLayer(b, "gat2", gat2, "gat1");
    return NodeClassifiers.finish(b, "gat2", classes, classes, updater);
  }
}
