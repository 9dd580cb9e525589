package io.dqspark.train;

import io.dqspark.gnn.GcnModels;
import io.dqspark.gnn.GinVertex;
import io.dqspark.gnn.GraphInputs;
import io.dqspark.gnn.GraphNetworks;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Two-layer node classifiers of each architecture, as the papers configure them for Planetoid.
 * The networks sum the loss over the labelled nodes ({@code miniBatch(false)}, see {@link
 * GcnModels}), so a weight decay {@code wd} on the usual mean loss over {@code n} labelled nodes
 * is an L2 coefficient {@code wd * n} here.
 */
public final class NodeClassifiers {
  private NodeClassifiers() {}

  /**
   * @param labelled number of labelled training nodes (scales the weight decay)
   * @param signedFeatures whether input features can be negative
   */
  public static ComputationGraphConfiguration build(TrainingOptions o, int nIn, int classes,
      int labelled, boolean signedFeatures) {
    double l2 = o.weightDecay * labelled;
    IUpdater updater = o.updater();
    switch (o.arch) {
      case GCN: {
        GcnModels.Options g = new GcnModels.Options();
        g.hidden = o.hidden;
        g.dropout = o.dropout;
        g.l2 = l2;
        g.mode = o.mode();
        g.bits = o.variant.layerBits();
        g.signedFeatures = signedFeatures;
        g.seed = o.seed;
        return GcnModels.nodeClassifier(nIn, classes, updater, g);
      }
      case GAT:
        return GatNodeClassifier.build(o, nIn, classes, l2, signedFeatures);
      case GIN:
        return gin(o, nIn, classes, l2, signedFeatures, updater);
      default:
        throw new IllegalArgumentException("no node classifier for " + o.arch);
    }
  }

  /**
   * Two GIN layers (hidden, ReLU between), dropout before each, a softmax output layer. (Without
   * dropout on the raw features GIN overfits Cora's 140 labels: 56.9% test accuracy, best epoch 18.)
   */
  private static ComputationGraphConfiguration gin(TrainingOptions o, int nIn, int classes,
      double l2, boolean signedFeatures, IUpdater updater) {
    GinVertex gin1 = new GinVertex(nIn, o.hidden, true, updater.clone());
    gin1.setSignedInput(signedFeatures);
    GinVertex gin2 = new GinVertex(o.hidden, o.hidden, false, updater.clone());
    gin2.setSignedInput(false);
    for (GinVertex v : new GinVertex[] {gin1, gin2}) {
      v.quantization(o.mode(), o.variant.layerBits());
      v.setMaskSeed(o.seed);
      v.setL2(l2);
    }
    GraphBuilder b = base(o, updater);
    b.addLayer("drop1", dropout(o.dropout), GraphNetworks.features());
    GraphNetworks.addGraphLayer(b, "gin1", gin1, "drop1");
    b.addLayer("drop2", dropout(o.dropout), "gin1");
    GraphNetworks.addGraphLayer(b, "gin2", gin2, "drop2");
    return finish(b, "gin2", o.hidden, classes, updater);
  }

  static GraphBuilder base(TrainingOptions o, IUpdater updater) {
    return GraphNetworks.builder(o.seed, DataType.FLOAT, updater, GraphInputs.NAMES);
  }

  /** DL4J's dropout takes the probability of keeping a value. */
  static DropoutLayer dropout(double p) {
    return new DropoutLayer.Builder(1 - p).build();
  }

  /** A trainable linear softmax layer, or {@link GcnModels#softmaxHead} when width = classes. */
  static ComputationGraphConfiguration finish(GraphBuilder b, String last, int width, int classes,
      IUpdater updater) {
    OutputLayer head = width == classes ? GcnModels.softmaxHead(classes, updater)
        : new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
            .nIn(width).nOut(classes).activation(Activation.SOFTMAX).build();
    return b.addLayer("out", head, last)
        .setOutputs("out")
        .build();
  }
}
