package io.dqspark.export;

import io.dqspark.gnn.DensePoint;
import io.dqspark.gnn.GinPoint;
import io.dqspark.gnn.GinVertex;
import io.dqspark.gnn.GinVertexImpl;
import io.dqspark.gnn.PoolVertex;
import io.dqspark.gnn.PoolVertexImpl;
import io.dqspark.gnn.QuantDenseVertex;
import io.dqspark.gnn.QuantDenseVertexImpl;
import io.dqspark.gnn.QuantMode;
import io.dqspark.model.DenseLayer;
import io.dqspark.model.DenseSite;
import io.dqspark.model.FloatGin;
import io.dqspark.model.GinLayer;
import io.dqspark.model.GinSite;
import io.dqspark.model.GraphReadout;
import io.dqspark.model.ModelTask;
import io.dqspark.model.OutputHead;
import io.dqspark.model.GinModel;
import io.dqspark.quant.FixedPointMultiplier;
import io.dqspark.quant.QuantParams;
import io.dqspark.util.DqInputException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Turns a trained QAT or Degree-Quant GIN network into a {@link GinModel}: the graph
 * classifier of {@link io.dqspark.gnn.GinModels#graphClassifier} (GIN layers, pool, quantized
 * {@code lin1}, softmax output layer) or the node classifier of {@code NodeClassifiers} (dropout,
 * GIN layers, softmax output layer). {@link #floatModel} extracts the same network's float
 * weights for {@link FloatGin}.
 *
 * <ul>
 *   <li>Quantization parameters: each vertex's ranges reloaded from its state and read as its
 *       evaluation forward uses them; weight codes through the training fake quantizer's
 *       rounding, so they are the codes the fake-quant forward uses (as {@link GcnExporter}).
 *   <li>Biases (full precision in training): int32 at the scale of their product {@code s_in s_w},
 *       an error of at most half of that, far below an output step.
 *   <li>Self term: the largest shift {@code k <= 22} that keeps the lin1 input accumulator inside
 *       int32 and its multiplier in range, so adding {@code (1 + eps) x} to the quantized
 *       aggregate rounds at {@code s_agg 2^-(k+1)}.
 *   <li>Output layer: trained in FP32 (DL4J's softmax layer), so it has no quantizer. Its weights
 *       are quantized here, per tensor over their own range at 8 bits (post-training
 *       quantization: the one place where integer scoring may differ from fake-quant by more
 *       than rounding).
 *   <li>Dropout layers are the identity at inference and are skipped.
 * </ul>
 */
public final class GinExporter {
  private GinExporter() {}

  /** The vertices of a GIN network in forward order, by role. */
  private static final class Network {
    final List<GinVertexImpl> gin = new ArrayList<>();
    PoolVertex.Pooling pooling;
    final List<QuantDenseVertexImpl> dense = new ArrayList<>();
    GraphVertex head;
  }

  public static GinModel export(ComputationGraph net, Map<String, String> provenance) {
    Network n = walk(net);
    GinVertex c0 = n.gin.get(0).getVertexConf();
    Map<String, String> p = new LinkedHashMap<>();
    p.put("exporter", GinExporter.class.getName());
    p.put("format", "dq8 v2");
    StringBuilder names = new StringBuilder();
    for (GinVertexImpl v : n.gin) {
      names.append(names.length() == 0 ? "" : ",").append(v.getVertexName());
    }
    p.put("vertices", names.toString());
    p.put("mode", c0.getMode().name());
    p.put("bits", Integer.toString(c0.getBits()));
    p.put("head", "post-training int8 per tensor");
    if (provenance != null) {
      p.putAll(provenance);
    }
    List<GinLayer> layers = new ArrayList<>();
    QuantParams previous = null;
    for (GinVertexImpl v : n.gin) {
      GinLayer l = ginLayer(v, previous);
      layers.add(l);
      previous = l.params(GinSite.OUTPUT);
    }
    ModelTask task = n.pooling == null ? ModelTask.NODE : ModelTask.GRAPH;
    GraphReadout readout = null;
    double feederScale = previous.scale();
    if (n.pooling != null) {
      readout = n.pooling == PoolVertex.Pooling.SUM
          ? new GraphReadout(GraphReadout.Pooling.SUM, 0)
          : new GraphReadout(GraphReadout.Pooling.MEAN, GraphReadout.DEFAULT_MEAN_FRACTION_BITS);
      feederScale = Math.scalb(feederScale, -readout.fractionBits());
    }
    List<DenseLayer> dense = new ArrayList<>();
    for (QuantDenseVertexImpl v : n.dense) {
      DenseLayer d = denseLayer(v, feederScale);
      dense.add(d);
      previous = d.params(DenseSite.OUTPUT);
      feederScale = previous.scale();
    }
    OutputHead head = head(n.head, previous);
    return new GinModel(task, p, layers, readout, dense, head);
  }

  /** The same network's float weights, for the FP32 engine. */
  public static FloatGin floatModel(ComputationGraph net) {
    Network n = walk(net);
    List<FloatGin.Layer> layers = new ArrayList<>();
    for (GinVertexImpl v : n.gin) {
      GinVertex c = v.getVertexConf();
      Map<String, INDArray> t = v.paramTable(false);
      layers.add(new FloatGin.Layer(c.getNIn(), c.getHidden(), c.isOutputRelu(),
          t.get(GinVertexImpl.EPS_KEY).getFloat(0), ExportArrays.floats(t.get(GinVertexImpl.W1_KEY)),
          ExportArrays.floats(t.get(GinVertexImpl.B1_KEY)), ExportArrays.floats(t.get(GinVertexImpl.W2_KEY)),
          ExportArrays.floats(t.get(GinVertexImpl.B2_KEY))));
    }
    List<FloatGin.Dense> dense = new ArrayList<>();
    for (QuantDenseVertexImpl v : n.dense) {
      QuantDenseVertex c = v.getVertexConf();
      Map<String, INDArray> t = v.paramTable(false);
      dense.add(new FloatGin.Dense(c.getNIn(), c.getNOut(), c.isRelu(),
          ExportArrays.floats(t.get(QuantDenseVertexImpl.WEIGHT_KEY)), ExportArrays.floats(t.get(QuantDenseVertexImpl.BIAS_KEY))));
    }
    INDArray w = n.head.getLayer().getParam("W");
    INDArray b = n.head.getLayer().getParam("b");
    FloatGin.Dense head = new FloatGin.Dense((int) w.size(0), (int) w.size(1), false, ExportArrays.floats(w),
        b == null ? new float[(int) w.size(1)] : ExportArrays.floats(b));
    return new FloatGin(n.pooling == null ? ModelTask.NODE : ModelTask.GRAPH, layers,
        n.pooling == null ? null : n.pooling == PoolVertex.Pooling.SUM
            ? GraphReadout.Pooling.SUM : GraphReadout.Pooling.MEAN, dense, head);
  }

  /**
   * Checks that the network is one chain: GIN layers (dropout allowed between), then either the
   * softmax output layer, or a pool, quantized dense layers and the output layer.
   */
  private static Network walk(ComputationGraph net) {
    GraphVertex[] vertices = net.getVertices();
    Network n = new Network();
    int current = -1; // the vertex whose output the chain carries; -1: the features input
    for (int index : net.topologicalSortOrder()) {
      GraphVertex v = vertices[index];
      if (v.isInputVertex()) {
        continue;
      }
      String name = "vertex '" + v.getVertexName() + "'";
      GraphVertex feeder = vertices[v.getInputVertices()[0].getVertexIndex()];
      boolean chained = current < 0 ? feeder.isInputVertex() : feeder.getVertexIndex() == current;
      if (!chained || n.head != null) {
        throw new DqInputException(name + " is fed by '" + feeder.getVertexName() + "': only a chain"
            + " of GIN layers, pooling, dense layers and one output layer can be exported");
      }
      if (v instanceof GinVertexImpl && n.pooling == null) {
        n.gin.add((GinVertexImpl) v);
      } else if (v instanceof PoolVertexImpl && !n.gin.isEmpty() && n.pooling == null) {
        n.pooling = ((PoolVertex) net.getConfiguration().getVertices().get(v.getVertexName()))
            .getPooling();
      } else if (v instanceof QuantDenseVertexImpl && n.pooling != null) {
        n.dense.add((QuantDenseVertexImpl) v);
      } else if (v.hasLayer() && v.getLayer().conf().getLayer() instanceof DropoutLayer) {
        // identity at inference
      } else if (v.hasLayer() && v.getLayer().conf().getLayer() instanceof BaseOutputLayer
          && !n.gin.isEmpty()) {
        BaseOutputLayer out = (BaseOutputLayer) v.getLayer().conf().getLayer();
        if (!(out.getActivationFn() instanceof ActivationSoftmax)) {
          throw new DqInputException(name + " is not a softmax output layer: " + out.getActivationFn());
        }
        n.head = v;
      } else {
        throw new DqInputException(name + " (" + v.getClass().getSimpleName() + ") cannot be exported"
            + " at this place of a GIN model");
      }
      current = index;
    }
    if (n.gin.isEmpty() || n.head == null) {
      throw new DqInputException("the network needs GIN layers and a softmax output layer");
    }
    if (n.pooling != null && n.dense.isEmpty()) {
      throw new DqInputException("a graph-level GIN needs a quantized dense layer after the pool");
    }
    return n;
  }

  private static void checkQuantized(String name, QuantMode mode, boolean passThrough) {
    if (mode == QuantMode.FP32 || passThrough) {
      throw new DqInputException(name + " does not quantize (" + mode
          + (passThrough ? ", pass-through" : "") + "): nothing to export");
    }
  }

  private static GinLayer ginLayer(GinVertexImpl v, QuantParams previousOutput) {
    GinVertex conf = v.getVertexConf();
    String name = "vertex '" + v.getVertexName() + "'";
    checkQuantized(name, conf.getMode(), conf.isPassThrough());
    v.loadQuantState();
    Map<GinSite, QuantParams> params = new EnumMap<>(GinSite.class);
    for (GinPoint point : GinPoint.values()) {
      try {
        params.put(GinSite.valueOf(point.name()), v.quantPoint(point).params());
      } catch (IllegalStateException e) {
        throw new DqInputException(name + ": " + e.getMessage(), e);
      }
    }
    int nIn = conf.getNIn();
    int h = conf.getHidden();
    Map<String, INDArray> t = v.paramTable(false);
    float eps = t.get(GinVertexImpl.EPS_KEY).getFloat(0);
    double ope = 1 + (double) eps;
    double sIn1 = params.get(GinSite.LIN1_INPUT).scale();
    double sIn2 = params.get(GinSite.LIN2_INPUT).scale();
    double sAgg = params.get(GinSite.AGGREGATE).scale();
    double sMsg = params.get(GinSite.MESSAGE).scale();
    double sW1 = params.get(GinSite.LIN1_WEIGHT).scale();
    double sW2 = params.get(GinSite.LIN2_WEIGHT).scale();
    int k = selfShift(name, ope, previousOutput, sAgg, sIn1);
    FixedPointMultiplier message = null;
    FixedPointMultiplier self = null;
    if (previousOutput != null) {
      message = multiplier(name + " message", previousOutput.scale() / sMsg);
      if (ope != 0) {
        self = multiplier(name + " self", Math.scalb(Math.abs(ope) * previousOutput.scale() / sAgg, k));
      }
    }
    return new GinLayer(nIn, h, conf.isOutputRelu(), params, eps, k,
        codes(t.get(GinVertexImpl.W1_KEY), params.get(GinSite.LIN1_WEIGHT)),
        bias(name + " b1", t.get(GinVertexImpl.B1_KEY), sIn1 * sW1),
        codes(t.get(GinVertexImpl.W2_KEY), params.get(GinSite.LIN2_WEIGHT)),
        bias(name + " b2", t.get(GinVertexImpl.B2_KEY), sIn2 * sW2),
        message,
        multiplier(name + " aggregate", sMsg / sAgg),
        self,
        multiplier(name + " lin1 input", Math.scalb(sAgg, -k) / sIn1),
        multiplier(name + " lin1", sIn1 * sW1 / params.get(GinSite.LIN1_OUTPUT).scale()),
        multiplier(name + " lin2 input", params.get(GinSite.LIN1_OUTPUT).scale() / sIn2),
        multiplier(name + " lin2", sIn2 * sW2 / params.get(GinSite.OUTPUT).scale()));
  }

  /**
   * The largest {@code k <= 22} with the lin1 input accumulator {@code ((agg - z) << k) + self}
   * inside int32 and the multipliers {@code s_agg 2^-k / s_in1} and (later layers) {@code |1 +
   * eps| s_x 2^k / s_agg} in the fixed-point range (the bounds {@link GinLayer} checks).
   */
  static int selfShift(String name, double ope, QuantParams previousOutput, double sAgg, double sIn1) {
    double limit = Integer.MAX_VALUE;
    for (int k = GinLayer.MAX_SELF_SHIFT; k >= 0; k--) {
      double lin1Input = Math.scalb(sAgg, -k) / sIn1;
      double selfUnits = previousOutput == null
          ? Math.scalb(256 * sIn1 / sAgg + 256, k)
          : 255 * Math.scalb(Math.abs(ope) * previousOutput.scale() / sAgg, k) + 1;
      double self = previousOutput == null ? 1 : Math.scalb(Math.abs(ope) * previousOutput.scale() / sAgg, k);
      boolean fits = Math.scalb(255.0, k) + selfUnits + 1 < limit;
      boolean inRange = lin1Input >= 0x1.0p-31 && lin1Input < 0x1.0p30
          && (ope == 0 || (self >= 0x1.0p-31 && self < 0x1.0p30));
      if (fits && inRange) {
        return k;
      }
    }
    throw new DqInputException(name + ": no self shift keeps (1 + eps) x + aggregate inside int32"
        + " (1 + eps = " + ope + ", s_agg = " + sAgg + ", s_in1 = " + sIn1 + ")");
  }

  private static DenseLayer denseLayer(QuantDenseVertexImpl v, double feederScale) {
    QuantDenseVertex conf = v.getVertexConf();
    String name = "vertex '" + v.getVertexName() + "'";
    checkQuantized(name, conf.getMode(), conf.isPassThrough());
    v.loadQuantState();
    Map<DenseSite, QuantParams> params = new EnumMap<>(DenseSite.class);
    for (DensePoint point : DensePoint.values()) {
      try {
        params.put(DenseSite.valueOf(point.name()), v.quantPoint(point).params());
      } catch (IllegalStateException e) {
        throw new DqInputException(name + ": " + e.getMessage(), e);
      }
    }
    double sIn = params.get(DenseSite.INPUT).scale();
    double sW = params.get(DenseSite.WEIGHT).scale();
    Map<String, INDArray> t = v.paramTable(false);
    return new DenseLayer(conf.getNIn(), conf.getNOut(), conf.isRelu(), params,
        codes(t.get(QuantDenseVertexImpl.WEIGHT_KEY), params.get(DenseSite.WEIGHT)),
        bias(name + " b", t.get(QuantDenseVertexImpl.BIAS_KEY), sIn * sW),
        multiplier(name + " input", feederScale / sIn),
        multiplier(name + " dense", sIn * sW / params.get(DenseSite.OUTPUT).scale()));
  }

  /** Post-training 8-bit quantization of the FP32 softmax layer over its own weight range. */
  private static OutputHead head(GraphVertex v, QuantParams input) {
    INDArray w = v.getLayer().getParam("W");
    INDArray b = v.getLayer().getParam("b");
    float[] wf = ExportArrays.floats(w);
    double min = 0;
    double max = 0;
    for (float x : wf) {
      if (!Float.isFinite(x)) {
        throw new DqInputException("output layer '" + v.getVertexName() + "' has a non-finite weight");
      }
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    QuantParams pw = QuantParams.fromRange(8, true, min, max);
    int classes = (int) w.size(1);
    int[] bias = b == null ? new int[classes]
        : bias("output layer '" + v.getVertexName() + "' bias", b, (double) input.scale() * pw.scale());
    return new OutputHead((int) w.size(0), classes, pw, codes(w, pw), bias);
  }

  private static FixedPointMultiplier multiplier(String name, double m) {
    try {
      return FixedPointMultiplier.of(m);
    } catch (DqInputException e) {
      throw new DqInputException(name + " multiplier: " + e.getMessage(), e);
    }
  }

  /** The fake quantizer's codes of a weight matrix, row-major. */
  private static byte[] codes(INDArray w, QuantParams p) {
    return ExportArrays.codes(p, ExportArrays.floats(w));
  }

  /** {@code round(b / scale)} as int32; a bias beyond int32 at that scale is an error. */
  private static int[] bias(String name, INDArray b, double scale) {
    float[] f = ExportArrays.floats(b);
    int[] out = new int[f.length];
    for (int j = 0; j < f.length; j++) {
      double q = Math.rint(f[j] / scale);
      if (!(Math.abs(q) < Integer.MAX_VALUE / 2.0)) {
        throw new DqInputException(name + " " + j + " = " + f[j] + " does not fit int32 at scale " + scale);
      }
      out[j] = (int) q;
    }
    return out;
  }

}
