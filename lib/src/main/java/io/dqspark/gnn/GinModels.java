package io.dqspark.gnn;

import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Ready-made graph classifiers built from GIN layers, for packed batches of {@link GraphBatch}.
 *
 * <p>The shape of the Degree-Quant authors' GIN for TU datasets: GIN layers, a global mean pool,
 * {@code lin1} with ReLU and dropout 0.5, then {@code lin2}. Here {@code lin2} is a DL4J {@code
 * OutputLayer} (softmax, cross-entropy) and stays in full precision: {@code ComputationGraph} only
 * trains when it has layer parameters and its loss must come from an output layer (design §7).
 * The reference's BatchNorm inside the GIN MLP is not here yet (see {@link GinVertex}).
 *
 * <p>Quantization: every GIN layer and {@code lin1} quantize in {@code o.mode}; the GIN layers
 * share one mask seed, so DQ protects the same nodes in all of them in a step (as the reference's
 * GIN does); the pool adds no quantizer and {@code lin1}, whose rows are graphs, protects nothing.
 * Feed it {@link GraphBatch} examples, with {@code mask_prob} computed per graph for DQ.
 *
 * <p>Built with {@code miniBatch(false)}: the loss is the sum of the cross-entropy over the graphs
 * of a batch, not the mean (the header makes DL4J see a batch of one). Adam is nearly invariant to
 * that scale; an L2 penalty is not, so PyTorch's weight decay {@code λ} on a mean over batches of
 * {@code B} graphs corresponds to {@code λ B} here.
 */
public final class GinModels {
  /** Vertex names in {@link #graphClassifier}'s network (GIN layers: {@link #ginName}). */
  public static final String POOL = "pool";
  public static final String LIN1 = "lin1";
  public static final String OUTPUT = "out";

  private GinModels() {}

  /** The name of GIN layer {@code layer} (0-based): gin1, gin2, ... */
  public static String ginName(int layer) {
    return "gin" + (layer + 1);
  }

  /** Options of {@link #graphClassifier}; public fields, defaults after the reference's TU setup. */
  public static final class Options {
    /** Number of GIN layers. */
    public int layers = 3;
    public int hidden = 64;
    /** Dropout probability after {@code lin1}'s ReLU (0: none). */
    public double dropout = 0.5;
    /** L2 penalty on every weight matrix, relative to the summed loss (see the class doc). */
    public double l2 = 0;
    public QuantMode mode = QuantMode.FP32;
    public int bits = 8;
    public boolean passThrough;
    /** Whether the input features can be negative (signed first-layer message quantizers). */
    public boolean signedFeatures = true;
    public long seed = 12345;
    public DataType dataType = DataType.FLOAT;
    public PoolVertex.Pooling pooling = PoolVertex.Pooling.MEAN;
  }

  /**
   * {@code o.layers} GIN layers ({@code nIn -> hidden}, then {@code hidden -> hidden}, each with an
   * output ReLU), a {@link PoolVertex}, {@code lin1} ({@link QuantDenseVertex}, {@code hidden ->
   * hidden}, ReLU) and a softmax output layer ({@code hidden -> classes}) with dropout on its input,
   * on the inputs {@link GraphInputs#GRAPH_LEVEL_NAMES}.
   */
  public static ComputationGraphConfiguration graphClassifier(int nIn, int classes, IUpdater updater,
      Options o) {
    if (o.layers < 1 || o.hidden < 1 || nIn < 1 || classes < 1) {
      throw new IllegalArgumentException("graphClassifier needs layers, hidden, nIn, classes >= 1,"
          + " got " + o.layers + ", " + o.hidden + ", " + nIn + ", " + classes);
    }
    if (!(o.dropout >= 0 && o.dropout < 1)) {
      throw new IllegalArgumentException("dropout must be in [0, 1), got " + o.dropout);
    }
    List<String> in = GraphInputs.GRAPH_LEVEL_NAMES;
    ComputationGraphConfiguration.GraphBuilder b = GraphNetworks.builder(o.seed, o.dataType, updater, in);
    String previous = GraphNetworks.features();
    for (int layer = 0; layer < o.layers; layer++) {
      GinVertex gin = new GinVertex(layer == 0 ? nIn : o.hidden, o.hidden, true, updater.clone());
      gin.setSignedInput(layer == 0 && o.signedFeatures); // later layers follow a ReLU
      configure(gin, o);
      GraphNetworks.addGraphLayer(b, ginName(layer), gin, previous);
      previous = ginName(layer);
    }
    b.addVertex(POOL, new PoolVertex(o.pooling), previous, in.get(GraphInputs.NODE_GRAPH));
    QuantDenseVertex lin1 = new QuantDenseVertex(o.hidden, o.hidden, true, 0, updater.clone());
    lin1.setSignedInput(false); // a pool of ReLU outputs
    configure(lin1, o);
    b.addVertex(LIN1, lin1, POOL);
    OutputLayer.Builder out = new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
        .nIn(o.hidden).nOut(classes).activation(Activation.SOFTMAX).l2(o.l2);
    if (o.dropout > 0) {
      out.dropOut(1 - o.dropout); // DL4J takes the probability of keeping
    }
    return b.addLayer(OUTPUT, out.build(), LIN1)
        .setOutputs(OUTPUT)
        .build();
  }

  private static void configure(QuantizedGraphVertex<?> v, Options o) {
    v.quantization(o.mode, o.bits);
    v.setPassThrough(o.passThrough);
    v.setMaskSeed(o.seed);
    v.setL2(o.l2);
  }
}
