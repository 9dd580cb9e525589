package io.dqspark.gnn;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Ready-made network configurations built from the GNN vertices.
 *
 * <p>Every network ends in a DL4J {@code OutputLayer}: {@code ComputationGraph} only trains when
 * it has layer parameters (with a parameter-free {@code LossLayer} {@code fit} silently does
 * nothing), and its loss must come from an output layer. When the last graph layer already
 * outputs the class scores, that layer is a fixed identity ({@link #softmaxHead}). It is built with {@code
 * miniBatch(false)}, so the loss is the sum over the nodes of the (binary) label mask, not the
 * mean. Adam is nearly invariant to that scale; an L2 penalty is not, so a penalty {@code λ} on
 * a mean loss over {@code n} labelled nodes becomes {@code λ n} here.
 */
public final class GcnModels {
  private GcnModels() {}

  /** Options of {@link #nodeClassifier}; public fields, defaults after Kipf &amp; Welling. */
  public static final class Options {
    public int hidden = 16;
    public double dropout = 0.5;
    /**
     * L2 penalty on the first layer's weights, relative to the summed loss (Kipf &amp; Welling's
     * 5e-4 on a mean over 140 labelled nodes is 0.07 here).
     */
    public double l2 = 0;
    public QuantMode mode = QuantMode.FP32;
    public int bits = 8;
    public boolean passThrough;
    /** Whether the input features can be negative (signed first input quantizer). */
    public boolean signedFeatures = true;
    public long seed = 12345;
    public DataType dataType = DataType.FLOAT;
  }

  /**
   * Two GCN layers ({@code nIn -> hidden}, ReLU; {@code hidden -> classes}) and a softmax output
   * layer ({@code classes -> classes}, cross-entropy) on the inputs of {@link GraphInputs}.
   */
  public static ComputationGraphConfiguration nodeClassifier(int nIn, int classes, IUpdater updater,
      Options o) {
    GcnVertex gcn1 = new GcnVertex(nIn, o.hidden, true, o.dropout, updater.clone());
    gcn1.setL2(o.l2);
    gcn1.setSignedInput(o.signedFeatures);
    GcnVertex gcn2 = new GcnVertex(o.hidden, classes, false, o.dropout, updater.clone());
    gcn2.setSignedInput(false); // after ReLU
    for (GcnVertex v : new GcnVertex[] {gcn1, gcn2}) {
      v.quantization(o.mode, o.bits);
      v.setPassThrough(o.passThrough);
      v.setMaskSeed(o.seed);
    }
    GraphBuilder b = GraphNetworks.builder(o.seed, o.dataType, updater, GraphInputs.NAMES);
    GraphNetworks.addGraphLayer(b, "gcn1", gcn1, GraphNetworks.features());
    GraphNetworks.addGraphLayer(b, "gcn2", gcn2, "gcn1");
    return b.addLayer("out", softmaxHead(classes, updater), "gcn2")
        .setOutputs("out")
        .build();
  }

  /**
   * A softmax cross-entropy head that adds nothing trainable: identity weights, zero bias, no
   * penalty and a zero learning rate, so the logits of the last graph layer are the model's (as in
   * the papers). Not DL4J's NoOp updater: {@code fit} does nothing unless some layer (vertices do
   * not count) is trainable, and NoOp marks a layer as not (seen in M2, as with a parameter-free
   * {@code LossLayer}; {@code NodeClassificationRunTest} shows the head staying the identity while
   * training works). A network built with NoOp everywhere, as gradient checks need, keeps NoOp.
   */
  public static OutputLayer softmaxHead(int classes, IUpdater networkUpdater) {
    return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
        .nIn(classes).nOut(classes).activation(Activation.SOFTMAX)
        .weightInit(WeightInit.IDENTITY).biasInit(0).updater(networkUpdater instanceof NoOp ? new NoOp() : new Sgd(0.0)).l2(0).build();
  }
}
