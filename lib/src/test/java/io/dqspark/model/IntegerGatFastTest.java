package io.dqspark.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dqspark.engine.FusedInt8Kernels;
import io.dqspark.engine.GatKernels;
import io.dqspark.engine.Kernels;
import io.dqspark.quant.QuantParams;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The GAT engine's fast arithmetic end to end (design §5.6): the engine on the scalar kernels
 * (integer, fused dense and GAT) and on the kernels this JVM selects (vector, oneDNN) give the same
 * output codes, for concatenated heads of 8 (two heads per 16 lanes), one head of 16, and averaged
 * 4-bit heads, on a graph with a hub of 500 in-edges; repeated so that C2 compiles the kernels.
 * The fast codes stay close to the exact arithmetic's, and the default arithmetic is fast unless a
 * layer's logit range is too wide for the softmax table.
 */
class IntegerGatFastTest {
  private static GatLayer layer(int nIn, int f, int heads, boolean concat, GatLayer.Activation act,
      int bits, boolean signedInput, double logitRange, int salt) {
    Map<GatSite, QuantParams> p = new EnumMap<>(GatSite.class);
    p.put(GatSite.INPUT, QuantParams.fromRange(8, signedInput, signedInput ? -1.5 : 0, 1.5 + salt * 0.01));
    p.put(GatSite.WEIGHT, QuantParams.fromRange(bits, true, -0.4, 0.35 + salt * 0.01));
    p.put(GatSite.XW, QuantParams.fromRange(bits, true, -2.0, 2.5));
    p.put(GatSite.ATTENTION, QuantParams.fromRange(bits, true, -0.6, 0.9));
    p.put(GatSite.LOGIT, QuantParams.fromRange(bits, true, -logitRange * 0.6, logitRange * 0.4));
    p.put(GatSite.MESSAGE, QuantParams.fromRange(bits, true, -1.5, 2.0));
    p.put(GatSite.AGGREGATE, QuantParams.fromRange(bits, true, -2.0, 2.5));
    boolean relu = act == GatLayer.Activation.RELU;
    p.put(GatSite.OUTPUT, QuantParams.fromRange(8, !relu, relu ? 0 : -3.25, 4.5));
    int width = heads * f;
    int merged = concat ? 1 : heads;
    int shift = 10;
    SplittableRandom rnd = new SplittableRandom(salt);
    byte[] w = new byte[nIn * width];
    QuantParams pw = p.get(GatSite.WEIGHT);
    for (int i = 0; i < w.length; i++) {
      w[i] = (byte) rnd.nextInt(pw.qmin(), pw.qmax() + 1);
    }
    byte[] a = new byte[2 * width];
    QuantParams pa = p.get(GatSite.ATTENTION);
    for (int i = 0; i < a.length; i++) {
      a[i] = (byte) rnd.nextInt(pa.qmin(), pa.qmax() + 1);
    }
    int[] bias = rnd.ints(concat ? width : f, -3000, 3000).toArray();
    double sXw = p.get(GatSite.XW).scale();
    double sAgg = p.get(GatSite.AGGREGATE).scale();
    return new GatLayer(nIn, f, heads, concat, act, p, w, a, bias, shift,
        LayerChecks.multiplier("xw", (double) p.get(GatSite.INPUT).scale() * pw.scale() / sXw),
        LayerChecks.multiplier("logit", sXw * pa.scale() / p.get(GatSite.LOGIT).scale()),
        LayerChecks.multiplier("message", sXw / p.get(GatSite.MESSAGE).scale()),
        LayerChecks.multiplier("aggregate", (double) p.get(GatSite.MESSAGE).scale() / sAgg),
        LayerChecks.multiplier("output", Math.scalb(sAgg, -shift) / (merged * (double) p.get(GatSite.OUTPUT).scale())));
  }

  private static GatModel model(GatLayer... layers) {
    return new GatModel(Map.of("dataset", "random"), List.of(layers));
  }

  /** 400 nodes, 6 random in-edges each, node 0 the target of 500 more; self-loops added by GcnGraph. */
  private static GcnGraph graph(SplittableRandom rnd, int nodes) {
    int extra = 500;
    int[] src = new int[nodes * 6 + extra];
    int[] dst = new int[src.length];
    for (int e = 0; e < src.length; e++) {
      src[e] = rnd.nextInt(nodes);
      dst[e] = e < nodes * 6 ? e % nodes : 0;
    }
    return GcnGraph.of(nodes, src, dst);
  }

  @Test
  void vectorAndScalarKernelsGiveTheSameCodes() {
    SplittableRandom rnd = new SplittableRandom(21);
    int nodes = 400;
    int nIn = 24;
    GcnGraph g = graph(rnd, nodes);
    float[] x = new float[nodes * nIn];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rnd.nextDouble(-1.5, 1.5);
    }
    List<GatModel> models = List.of(
        model(layer(nIn, 8, 8, true, GatLayer.Activation.ELU, 8, true, 8, 3),
            layer(64, 16, 1, true, GatLayer.Activation.NONE, 8, true, 6, 4)),
        model(layer(nIn, 4, 4, false, GatLayer.Activation.RELU, 4, true, 8, 5),
            layer(4, 3, 2, false, GatLayer.Activation.NONE, 8, false, 6, 6)));
    for (GatModel m : models) {
      assertEquals(Arithmetic.FAST, Arithmetic.defaultFor(m));
      IntegerGat scalar = new IntegerGat(m, Kernels.scalarInt8(), Arithmetic.FAST,
          FusedInt8Kernels.scalar(), GatKernels.scalar());
      IntegerGat selected = new IntegerGat(m, Arithmetic.FAST);
      IntegerGat exact = new IntegerGat(m, Arithmetic.EXACT);
      System.out.println("fast GAT: " + scalar.describe() + " against " + selected.describe());
      byte[] reference = scalar.run(x, g).codes();
      for (int rep = 0; rep < 60; rep++) {
        assertArrayEquals(reference, selected.run(x, g).codes(), "repetition " + rep);
      }
      // the fast arithmetic computes the exact one's quantization points in float lanes
      byte[] e = exact.run(x, g).codes();
      int differ = 0;
      int most = 0;
      for (int i = 0; i < e.length; i++) {
        int d = Math.abs(e[i] - reference[i]);
        differ += d != 0 ? 1 : 0;
        most = Math.max(most, d);
      }
      System.out.printf("fast vs exact output codes: %d of %d differ, by at most %d step(s)%n",
          differ, e.length, most);
      assertTrue(differ <= e.length / 10 && most <= 3, differ + " of " + e.length + ", at most " + most);
    }
  }

  @Test
  void aLogitRangeTooWideForTheTableMakesExactTheDefault() {
    // 8-bit logits spanning 300 nats: the table would floor weights 44 nats under the top
    GatModel wide = model(layer(24, 8, 8, true, GatLayer.Activation.ELU, 8, true, 300, 3),
        layer(64, 16, 1, true, GatLayer.Activation.NONE, 8, true, 6, 4));
    assertTrue(IntegerGat.logitSpan(wide.layers().get(0)) > 40);
    assertEquals(Arithmetic.EXACT, Arithmetic.defaultFor(wide));
    float[] w = IntegerGat.softmaxWeights(wide.layers().get(0).params(GatSite.LOGIT));
    assertEquals(1f, w[w.length - 1], "the top code's weight");
    assertEquals(io.dqspark.engine.GatInt8Pass.MIN_WEIGHT, w[0], "the bottom code floored");
  }
}
