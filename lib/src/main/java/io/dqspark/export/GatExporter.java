package io.dqspark.export;

import io.dqspark.gnn.GatPoint;
import io.dqspark.gnn.GatVertex;
import io.dqspark.gnn.GatVertexImpl;
import io.dqspark.gnn.QuantMode;
import io.dqspark.model.FloatGat;
import io.dqspark.model.GatLayer;
import io.dqspark.model.GatSite;
import io.dqspark.model.GcnLayer;
import io.dqspark.model.GatModel;
import io.dqspark.quant.QuantParams;
import io.dqspark.util.DqInputException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Turns a trained QAT or Degree-Quant GAT node classifier (a chain of GAT vertices into the
 * identity softmax head, as {@code GatNodeClassifier} builds it) into a {@link GatModel}.
 * Parameters, weight codes and multipliers are derived as in {@link GcnExporter}; the attention
 * vectors are quantized with the ATTENTION point's parameters, source vectors first. The bias is
 * stored at scale {@code s_agg 2^-k / m} ({@code m} heads averaged, 1 when concatenated), so that
 * it adds to the sum of the merged heads' aggregate codes.
 */
public final class GatExporter {
  private GatExporter() {}

  public static GatModel export(ComputationGraph net, Map<String, String> provenance) {
    List<GatVertexImpl> chain = VertexChain.of(net, GatVertexImpl.class, "GAT");
    Map<String, String> p = new LinkedHashMap<>();
    p.put("exporter", GatExporter.class.getName());
    p.put("format", "dq8 v3");
    StringBuilder names = new StringBuilder();
    for (GatVertexImpl v : chain) {
      names.append(names.length() == 0 ? "" : ",").append(v.getVertexName());
    }
    p.put("vertices", names.toString());
    GatVertex c0 = chain.get(0).getVertexConf();
    p.put("mode", c0.getMode().name());
    p.put("bits", Integer.toString(c0.getBits()));
    if (provenance != null) {
      p.putAll(provenance);
    }
    List<GatLayer> layers = new ArrayList<>();
    for (GatVertexImpl v : chain) {
      layers.add(layer(v));
    }
    return new GatModel(p, layers);
  }

  /**
   * The same chain's FP32 weights as a {@link FloatGat}, in any mode: a QAT or DQ network's float
   * weights are its FP32 model, so they are read as they are, without quantization.
   */
  public static FloatGat floatModel(ComputationGraph net) {
    List<FloatGat.Layer> layers = new ArrayList<>();
    for (GatVertexImpl v : VertexChain.of(net, GatVertexImpl.class, "GAT")) {
      GatVertex c = v.getVertexConf();
      Map<String, INDArray> t = v.paramTable(false);
      layers.add(new FloatGat.Layer(c.getNIn(), c.getOutPerHead(), c.getHeads(), c.isConcat(),
          activation(c.getActivation()), ExportArrays.floats(t.get(GatVertexImpl.WEIGHT_KEY)),
          ExportArrays.floats(t.get(GatVertexImpl.ATT_SRC_KEY)), ExportArrays.floats(t.get(GatVertexImpl.ATT_DST_KEY)),
          ExportArrays.floats(t.get(GatVertexImpl.BIAS_KEY))));
    }
    return new FloatGat(layers);
  }

  private static GatLayer layer(GatVertexImpl v) {
    GatVertex conf = v.getVertexConf();
    String name = "vertex '" + v.getVertexName() + "'";
    if (conf.getMode() == QuantMode.FP32 || conf.isPassThrough()) {
      throw new DqInputException(name + " does not quantize (" + conf.getMode()
          + (conf.isPassThrough() ? ", pass-through" : "") + "): nothing to export");
    }
    v.loadQuantState();
    Map<GatSite, QuantParams> params = new EnumMap<>(GatSite.class);
    for (GatPoint point : GatPoint.values()) {
      try {
        params.put(GatSite.valueOf(point.name()), v.quantPoint(point).params());
      } catch (IllegalStateException e) {
        throw new DqInputException(name + ": " + e.getMessage(), e);
      }
    }
    int heads = conf.getHeads();
    int f = conf.getOutPerHead();
    int width = heads * f;
    Map<String, INDArray> table = v.paramTable(false);
    byte[] w = ExportArrays.codes(params.get(GatSite.WEIGHT), ExportArrays.floats(table.get(GatVertexImpl.WEIGHT_KEY)));
    float[] att = new float[2 * width];
    System.arraycopy(ExportArrays.floats(table.get(GatVertexImpl.ATT_SRC_KEY)), 0, att, 0, width);
    System.arraycopy(ExportArrays.floats(table.get(GatVertexImpl.ATT_DST_KEY)), 0, att, width, width);
    byte[] a = ExportArrays.codes(params.get(GatSite.ATTENTION), att);

    int merged = conf.isConcat() ? 1 : heads;
    float[] b = ExportArrays.floats(table.get(GatVertexImpl.BIAS_KEY));
    double sAgg = params.get(GatSite.AGGREGATE).scale();
    double sOut = params.get(GatSite.OUTPUT).scale();
    double unit = sAgg / merged;
    int shift = GcnExporter.biasShift(b, unit, sOut, merged);
    int[] bias = new int[b.length];
    for (int j = 0; j < b.length; j++) {
      bias[j] = (int) Math.round(Math.scalb((double) b[j], shift) / unit);
    }
    double sIn = params.get(GatSite.INPUT).scale();
    double sXw = params.get(GatSite.XW).scale();
    return new GatLayer(conf.getNIn(), f, heads, conf.isConcat(), activation(conf.getActivation()),
        params, w, a, bias, shift,
        GcnLayer.multiplier(name + " xw", sIn * params.get(GatSite.WEIGHT).scale() / sXw),
        GcnLayer.multiplier(name + " logit",
            sXw * params.get(GatSite.ATTENTION).scale() / params.get(GatSite.LOGIT).scale()),
        GcnLayer.multiplier(name + " message", sXw / params.get(GatSite.MESSAGE).scale()),
        GcnLayer.multiplier(name + " aggregate", params.get(GatSite.MESSAGE).scale() / sAgg),
        GcnLayer.multiplier(name + " output", Math.scalb(unit, -shift) / sOut));
  }

  private static GatLayer.Activation activation(GatVertex.Activation a) {
    return GatLayer.Activation.valueOf(a.name());
  }

}
