package io.dqspark.model;

import io.dqspark.quant.QuantParams;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small deterministic GCN models for format tests: no randomness, no training. */
final class TinyModels {
  private TinyModels() {}

  /**
   * Two layers: 5 -> 3 with ReLU and 4-bit weights (15 codes: packed, odd count), then 3 -> 2 with
   * 8-bit weights and an unsigned input.
   */
  static QuantizedModel gcn() {
    GcnLayer first = layer(5, 3, true, 4, false, null, 3);
    GcnLayer second = layer(3, 2, false, 8, false, first, 11);
    Map<String, String> provenance = new LinkedHashMap<>();
    provenance.put("dataset", "tiny");
    provenance.put("note", "fixture \u2013 unicode ok");
    return new QuantizedModel(QuantizedModel.GCN, provenance, List.of(first, second));
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
}
