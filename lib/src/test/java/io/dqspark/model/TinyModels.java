package io.dqspark.model;

import io.dqspark.quant.QuantParams;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small deterministic GCN, GIN and GAT models for format tests: no randomness, no training. */
final class TinyModels {
  private TinyModels() {}

  /**
   * Two layers: 5 -> 3 with ReLU and 4-bit weights (15 codes: packed, odd count), then 3 -> 2 with
   * 8-bit weights and an unsigned input.
   */
  static GcnModel gcn() {
    GcnLayer first = layer(5, 3, true, 4, false, null, 3);
    GcnLayer second = layer(3, 2, false, 8, false, first, 11);
    Map<String, String> provenance = new LinkedHashMap<>();
    provenance.put("dataset", "tiny");
    provenance.put("note", "fixture \u2013 unicode ok");
    return new GcnModel(provenance, List.of(first, second));
  }

  static GcnLayer layer(int nIn, int nOut, boolean relu, int weightBits, boolean signedInput,
      GcnLayer previous, int salt) {
    Map<GcnSite, QuantParams> p = new EnumMap<>(GcnSite.class);
    p.put(GcnSite.INPUT, QuantParams.fromRange(8, signedInput, 0, 1.5 + salt * 0.01));
    p.put(GcnSite.WEIGHT, QuantParams.fromRange(weightBits, true, -0.75, 0.5 + salt * 0.01));
    p.put(GcnSite.XW, QuantParams.fromRange(8, true, -2.0, 2.5));
    p.put(GcnSite.NORM, QuantParams.fromRange(8, true, 0.1, 1.0));
    p.put(GcnSite.MESSAGE, QuantParams.fromRange(8, true, -1.5, 2.0));
    p.put(GcnSite.AGGREGATE, QuantParams.fromRange(8, true, -3.0, 4.0));
    p.put(GcnSite.OUTPUT, QuantParams.fromRange(8, true, -3.25, 4.5));
    QuantParams w = p.get(GcnSite.WEIGHT);
    byte[] codes = new byte[nIn * nOut];
    for (int i = 0; i < codes.length; i++) {
      codes[i] = (byte) (w.qmin() + (i * 7 + salt) % (w.qmax() - w.qmin() + 1));
    }
    int[] bias = new int[nOut];
    for (int j = 0; j < nOut; j++) {
      bias[j] = (j % 2 == 0 ? 1 : -1) * (1000 * (j + 1) + salt);
    }
    int shift = 12;
    double sIn = p.get(GcnSite.INPUT).scale();
    return new GcnLayer(nIn, nOut, relu, p, codes, bias, shift,
        previous == null ? null
            : GcnLayer.multiplier("input", previous.params(GcnSite.OUTPUT).scale() / sIn),
        GcnLayer.multiplier("xw", sIn * w.scale() / p.get(GcnSite.XW).scale()),
        GcnLayer.multiplier("message", (double) p.get(GcnSite.NORM).scale()
            * p.get(GcnSite.XW).scale() / p.get(GcnSite.MESSAGE).scale()),
        GcnLayer.multiplier("aggregate", (double) p.get(GcnSite.MESSAGE).scale()
            / p.get(GcnSite.AGGREGATE).scale()),
        GcnLayer.multiplier("output", Math.scalb((double) p.get(GcnSite.AGGREGATE).scale(), -shift)
            / p.get(GcnSite.OUTPUT).scale()));
  }

  /**
   * A graph-level GIN: 3 -> 4 (int8 weights, signed input, negative eps), 4 -> 4 (4-bit weights:
   * packed; unsigned messages), mean pooling, one dense layer 4 -> 4 with ReLU, a 4 -> 2 head.
   */
  static GinModel gin() {
    GinLayer first = ginLayer(3, 4, true, 8, true, -0.25f, null, 5);
    GinLayer second = ginLayer(4, 4, true, 4, false, 0.125f, first.params(GinSite.OUTPUT), 9);
    GraphReadout readout = new GraphReadout(GraphReadout.Pooling.MEAN, 16);
    Map<DenseSite, QuantParams> dp = new EnumMap<>(DenseSite.class);
    dp.put(DenseSite.INPUT, QuantParams.fromRange(8, false, 0, 2.5));
    dp.put(DenseSite.WEIGHT, QuantParams.fromRange(8, true, -0.6, 0.7));
    dp.put(DenseSite.OUTPUT, QuantParams.fromRange(8, true, -1.5, 3.0));
    DenseLayer dense = new DenseLayer(4, 4, true, dp, codes(16, dp.get(DenseSite.WEIGHT), 2),
        new int[] {120, -340, 0, 77},
        LayerChecks.multiplier("pool", Math.scalb((double) second.params(GinSite.OUTPUT).scale(), -16)
            / dp.get(DenseSite.INPUT).scale()),
        LayerChecks.multiplier("dense", (double) dp.get(DenseSite.INPUT).scale()
            * dp.get(DenseSite.WEIGHT).scale() / dp.get(DenseSite.OUTPUT).scale()));
    QuantParams hw = QuantParams.fromRange(8, true, -0.9, 0.8);
    OutputHead head = new OutputHead(4, 2, hw, codes(8, hw, 4), new int[] {-5000, 4200});
    Map<String, String> provenance = new LinkedHashMap<>();
    provenance.put("dataset", "tiny-gin");
    provenance.put("note", "fixture v2");
    return new GinModel(ModelTask.GRAPH, provenance, List.of(first, second), readout,
        List.of(dense), head);
  }

  /** A node-level GIN: the two layers of {@link #gin} and a 4 -> 3 head. */
  static GinModel nodeGin() {
    GinModel g = gin();
    QuantParams hw = QuantParams.fromRange(8, true, -0.5, 0.5);
    OutputHead head = new OutputHead(4, 3, hw, codes(12, hw, 1), new int[] {10, -20, 30});
    return new GinModel(ModelTask.NODE, Map.of("dataset", "tiny-node-gin"), g.layers(),
        null, List.of(), head);
  }

  /**
   * A GAT: 3 -> 2 concatenated ELU heads of 2 (4-bit weights and attention: packed), then 4 -> 2
   * averaged heads of 3 logits with 8-bit weights.
   */
  static GatModel gat() {
    GatLayer first = gatLayer(3, 2, 2, true, GatLayer.Activation.ELU, 4, false, 3);
    GatLayer second = gatLayer(4, 3, 2, false, GatLayer.Activation.NONE, 8, true, 8);
    Map<String, String> provenance = new LinkedHashMap<>();
    provenance.put("dataset", "tiny-gat");
    provenance.put("note", "fixture v3");
    return new GatModel(provenance, List.of(first, second));
  }

  static GatLayer gatLayer(int nIn, int f, int heads, boolean concat, GatLayer.Activation act,
      int weightBits, boolean signedInput, int salt) {
    Map<GatSite, QuantParams> p = new EnumMap<>(GatSite.class);
    p.put(GatSite.INPUT, QuantParams.fromRange(8, signedInput, signedInput ? -1.0 : 0, 1.5 + salt * 0.01));
    p.put(GatSite.WEIGHT, QuantParams.fromRange(weightBits, true, -0.75, 0.5 + salt * 0.01));
    p.put(GatSite.XW, QuantParams.fromRange(8, true, -2.0, 2.5));
    p.put(GatSite.ATTENTION, QuantParams.fromRange(weightBits, true, -0.6, 0.9));
    p.put(GatSite.LOGIT, QuantParams.fromRange(8, true, -3.0, 2.0));
    p.put(GatSite.MESSAGE, QuantParams.fromRange(8, true, -1.5, 2.0));
    p.put(GatSite.AGGREGATE, QuantParams.fromRange(8, true, -3.0, 4.0));
    boolean relu = act == GatLayer.Activation.RELU;
    p.put(GatSite.OUTPUT, QuantParams.fromRange(8, !relu, relu ? 0 : -3.25, 4.5));
    int width = heads * f;
    int merged = concat ? 1 : heads;
    int shift = 10;
    double sXw = p.get(GatSite.XW).scale();
    double sAgg = p.get(GatSite.AGGREGATE).scale();
    return new GatLayer(nIn, f, heads, concat, act, p,
        codes(nIn * width, p.get(GatSite.WEIGHT), salt),
        codes(2 * width, p.get(GatSite.ATTENTION), salt + 2), bias(concat ? width : f, salt), shift,
        LayerChecks.multiplier("xw", (double) p.get(GatSite.INPUT).scale()
            * p.get(GatSite.WEIGHT).scale() / sXw),
        LayerChecks.multiplier("logit", sXw * p.get(GatSite.ATTENTION).scale()
            / p.get(GatSite.LOGIT).scale()),
        LayerChecks.multiplier("message", sXw / p.get(GatSite.MESSAGE).scale()),
        LayerChecks.multiplier("aggregate", (double) p.get(GatSite.MESSAGE).scale() / sAgg),
        LayerChecks.multiplier("output", Math.scalb(sAgg, -shift)
            / (merged * (double) p.get(GatSite.OUTPUT).scale())));
  }

  static byte[] codes(int n, QuantParams p, int salt) {
    byte[] codes = new byte[n];
    for (int i = 0; i < n; i++) {
      codes[i] = (byte) (p.qmin() + (i * 7 + salt) % (p.qmax() - p.qmin() + 1));
    }
    return codes;
  }

  /** A GIN layer with consistent multipliers; {@code previousOutput} null for a first layer. */
  static GinLayer ginLayer(int nIn, int hidden, boolean outputRelu, int weightBits,
      boolean signedMessages, float eps, QuantParams previousOutput, int salt) {
    Map<GinSite, QuantParams> p = new EnumMap<>(GinSite.class);
    p.put(GinSite.MESSAGE, QuantParams.fromRange(8, signedMessages, signedMessages ? -1.0 : 0, 1.5));
    p.put(GinSite.AGGREGATE, QuantParams.fromRange(8, signedMessages, signedMessages ? -3.0 : 0, 6.0));
    p.put(GinSite.LIN1_INPUT, QuantParams.fromRange(8, true, -3.5, 7.0 + salt * 0.01));
    p.put(GinSite.LIN1_WEIGHT, QuantParams.fromRange(weightBits, true, -0.8, 0.6 + salt * 0.01));
    p.put(GinSite.LIN1_OUTPUT, QuantParams.fromRange(8, true, -4.0, 5.0));
    p.put(GinSite.LIN2_INPUT, QuantParams.fromRange(8, false, 0, 5.0));
    p.put(GinSite.LIN2_WEIGHT, QuantParams.fromRange(weightBits, true, -0.7, 0.9));
    p.put(GinSite.OUTPUT, QuantParams.fromRange(8, !outputRelu, outputRelu ? 0 : -2.0, 3.0));
    int k = 12;
    double sAgg = p.get(GinSite.AGGREGATE).scale();
    double ope = 1 + (double) eps;
    return new GinLayer(nIn, hidden, outputRelu, p, eps, k,
        codes(nIn * hidden, p.get(GinSite.LIN1_WEIGHT), salt), bias(hidden, salt),
        codes(hidden * hidden, p.get(GinSite.LIN2_WEIGHT), salt + 1), bias(hidden, salt + 1),
        previousOutput == null ? null
            : LayerChecks.multiplier("message", (double) previousOutput.scale()
                / p.get(GinSite.MESSAGE).scale()),
        LayerChecks.multiplier("aggregate", (double) p.get(GinSite.MESSAGE).scale() / sAgg),
        previousOutput == null ? null
            : LayerChecks.multiplier("self", Math.scalb(Math.abs(ope) * previousOutput.scale() / sAgg, k)),
        LayerChecks.multiplier("lin1 input", Math.scalb(sAgg, -k) / p.get(GinSite.LIN1_INPUT).scale()),
        LayerChecks.multiplier("lin1", (double) p.get(GinSite.LIN1_INPUT).scale()
            * p.get(GinSite.LIN1_WEIGHT).scale() / p.get(GinSite.LIN1_OUTPUT).scale()),
        LayerChecks.multiplier("lin2 input", (double) p.get(GinSite.LIN1_OUTPUT).scale()
            / p.get(GinSite.LIN2_INPUT).scale()),
        LayerChecks.multiplier("lin2", (double) p.get(GinSite.LIN2_INPUT).scale()
            * p.get(GinSite.LIN2_WEIGHT).scale() / p.get(GinSite.OUTPUT).scale()));
  }

  private static int[] bias(int n, int salt) {
    int[] b = new int[n];
    for (int j = 0; j < n; j++) {
      b[j] = (j % 2 == 0 ? 1 : -1) * (700 * (j + 1) + salt);
    }
    return b;
  }
}
