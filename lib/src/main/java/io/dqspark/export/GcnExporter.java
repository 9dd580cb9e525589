package io.dqspark.export;

import io.dqspark.gnn.GcnPoint;
import io.dqspark.gnn.GcnVertex;
import io.dqspark.gnn.GcnVertexImpl;
import io.dqspark.gnn.QuantMode;
import io.dqspark.model.GcnLayer;
import io.dqspark.model.GcnSite;
import io.dqspark.model.GcnModel;
import io.dqspark.quant.FakeQuantizer;
import io.dqspark.quant.FixedPointMultiplier;
import io.dqspark.quant.QuantParams;
import io.dqspark.util.DqInputException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Turns a trained QAT or Degree-Quant GCN ({@link io.dqspark.gnn.GcnModels#nodeClassifier}: a
 * chain of GCN vertices, optionally followed by the fixed identity softmax head) into a {@link
 * GcnModel}.
 *
 * <ul>
 *   <li>Quantization parameters: each vertex's ranges reloaded from its state ({@code
 *       loadQuantState}) and read as {@code quantPoint(p).params()}, i.e. what its evaluation
 *       forward uses.
 *   <li>Weights: the float weights through {@link FakeQuantizer#quantize} with the weight point's
 *       parameters: the very codes the fake-quant forward rounds them to.
 *   <li>Bias: training adds the float bias to the quantized aggregate. The export stores it as
 *       int32 at scale {@code s_agg * 2^-k}, rounded to nearest, with the largest {@code k <= 22}
 *       that keeps {@code ((agg - z_agg) << k) + bias} inside int32 (and the output multiplier in
 *       range), so the bias' rounding error is at most {@code s_agg * 2^-(k+1)}: a tiny fraction of
 *       one output step instead of up to half an aggregate step.
 *   <li>Multipliers: derived here from the scales ({@code FixedPointMultiplier.of}) and stored, so
 *       a scorer needs no floating point to set itself up; the reader checks them against the
 *       scales.
 * </ul>
 */
public final class GcnExporter {
  private GcnExporter() {}

  public static GcnModel export(ComputationGraph net, Map<String, String> provenance) {
    List<GcnVertexImpl> chain = chain(net);
    Map<String, String> p = new LinkedHashMap<>();
    p.put("exporter", GcnExporter.class.getName());
    p.put("format", "dq8 v1");
    StringBuilder names = new StringBuilder();
    for (GcnVertexImpl v : chain) {
      names.append(names.length() == 0 ? "" : ",").append(v.getVertexName());
    }
    p.put("vertices", names.toString());
    GcnVertex c0 = chain.get(0).getVertexConf();
    p.put("mode", c0.getMode().name());
    p.put("bits", Integer.toString(c0.getBits()));
    if (provenance != null) {
      p.putAll(provenance);
    }
    List<GcnLayer> layers = new ArrayList<>();
    for (int i = 0; i < chain.size(); i++) {
      layers.add(layer(chain.get(i), i == 0 ? null : layers.get(i - 1)));
    }
    return new GcnModel(p, layers);
  }

  /** The GCN vertices in forward order, after checking that they form one chain into the head. */
  static List<GcnVertexImpl> chain(ComputationGraph net) {
    return VertexChain.of(net, GcnVertexImpl.class, "GCN");
  }

  private static GcnLayer layer(GcnVertexImpl v, GcnLayer previous) {
    GcnVertex conf = v.getVertexConf();
    String name = "vertex '" + v.getVertexName() + "'";
    if (conf.getMode() == QuantMode.FP32 || conf.isPassThrough()) {
      throw new DqInputException(name + " does not quantize (" + conf.getMode()
          + (conf.isPassThrough() ? ", pass-through" : "") + "): nothing to export");
    }
    v.loadQuantState();
    Map<GcnSite, QuantParams> params = new EnumMap<>(GcnSite.class);
    for (GcnPoint point : GcnPoint.values()) {
      try {
        params.put(GcnSite.valueOf(point.name()), v.quantPoint(point).params());
      } catch (IllegalStateException e) {
        throw new DqInputException(name + ": " + e.getMessage(), e);
      }
    }
    int nIn = conf.getNIn();
    int nOut = conf.getNOut();
    float[] w = ExportArrays.floats(v.paramTable(false).get(GcnVertexImpl.WEIGHT_KEY));
    byte[] codes = ExportArrays.codes(params.get(GcnSite.WEIGHT), w);
    float[] b = ExportArrays.floats(v.paramTable(false).get(GcnVertexImpl.BIAS_KEY));
    double sAgg = params.get(GcnSite.AGGREGATE).scale();
    double sOut = params.get(GcnSite.OUTPUT).scale();
    int shift = biasShift(b, sAgg, sOut);
    int[] bias = new int[nOut];
    for (int j = 0; j < nOut; j++) {
      bias[j] = (int) Math.round(Math.scalb((double) b[j], shift) / sAgg);
    }
    double sIn = params.get(GcnSite.INPUT).scale();
    FixedPointMultiplier input = previous == null ? null : GcnLayer.multiplier(name + " input",
        previous.params(GcnSite.OUTPUT).scale() / sIn);
    return new GcnLayer(nIn, nOut, conf.isRelu(), params, codes, bias, shift, input,
        GcnLayer.multiplier(name + " xw", sIn * params.get(GcnSite.WEIGHT).scale()
            / params.get(GcnSite.XW).scale()),
        GcnLayer.multiplier(name + " message", (double) params.get(GcnSite.NORM).scale()
            * params.get(GcnSite.XW).scale() / params.get(GcnSite.MESSAGE).scale()),
        GcnLayer.multiplier(name + " aggregate", (double) params.get(GcnSite.MESSAGE).scale() / sAgg),
        GcnLayer.multiplier(name + " output", Math.scalb(sAgg, -shift) / sOut));
  }

  /**
   * The largest {@code k <= MAX_BIAS_SHIFT} with {@code (255 + max|b|/s_agg + 1) * 2^k} inside
   * int32 and {@code s_agg 2^-k / s_out >= 2^-31}.
   */
  static int biasShift(float[] b, double sAgg, double sOut) {
    return biasShift(b, sAgg, sOut, 1);
  }

  /**
   * The same for an accumulator of {@code terms} aggregate codes, {@code |sum| <= 255 terms}, at
   * scale {@code unit} ({@code s_agg / terms} when the terms are averaged).
   */
  static int biasShift(float[] b, double unit, double sOut, int terms) {
    double sAgg = unit;
    double maxBias = 0;
    for (float x : b) {
      if (!Float.isFinite(x)) {
        throw new DqInputException("bias is not finite: " + x);
      }
      maxBias = Math.max(maxBias, Math.abs(x) / sAgg);
    }
    for (int k = GcnLayer.MAX_BIAS_SHIFT; k >= 0; k--) {
      boolean fits = Math.scalb(255.0 * terms + maxBias + 1, k) < Integer.MAX_VALUE;
      boolean inRange = Math.scalb(sAgg, -k) / sOut >= 0x1.0p-31;
      if (fits && inRange) {
        return k;
      }
    }
    throw new DqInputException("bias of magnitude " + maxBias + " aggregate steps does not fit int32");
  }

}
