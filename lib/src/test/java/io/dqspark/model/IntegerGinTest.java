package io.dqspark.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dqspark.engine.FusedInt8Kernels;
import io.dqspark.engine.Kernels;
import io.dqspark.quant.FakeQuantizer;
import io.dqspark.quant.FixedPointMultiplier;
import io.dqspark.quant.QuantParams;
import io.dqspark.util.DqInputException;
import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link IntegerGin} against an independent reference of the pipeline docs/model-format.md
 * describes: every requantization as an exact rational rounding (BigInteger), sums in long, codes
 * in each site's own range (not the engine's shifted convention). Random graphs and features.
 */
class IntegerGinTest {
  /** {@code clamp(round(acc * m0 / 2^(31 + shift)) + z)}, ties away from zero, exactly. */
  static int requant(long acc, FixedPointMultiplier m, QuantParams out, boolean relu) {
    BigInteger p = BigInteger.valueOf(acc).multiply(BigInteger.valueOf(m.multiplier()));
    BigInteger d = BigInteger.ONE.shiftLeft(31 + m.shift());
    BigInteger[] qr = p.abs().divideAndRemainder(d);
    BigInteger q = qr[1].shiftLeft(1).compareTo(d) >= 0 ? qr[0].add(BigInteger.ONE) : qr[0];
    long r = (p.signum() < 0 ? q.negate() : q).longValue() + out.zeroPoint();
    return (int) Math.max(relu ? out.zeroPoint() : out.qmin(), Math.min(out.qmax(), r));
  }

  /** Logits of the documented pipeline, [rows, classes]. */
  static long[] reference(GinModel m, float[] x, int n, int[] src, int[] dst, int[] nodeGraph,
      int graphs) {
    int[] codes = null;
    QuantParams xp = null;
    for (GinLayer l : m.layers()) {
      int f = l.nIn();
      int h = l.hidden();
      QuantParams pm = l.params(GinSite.MESSAGE);
      QuantParams pa = l.params(GinSite.AGGREGATE);
      int[] msg = new int[n * f];
      long[] self = new long[n * f];
      for (int i = 0; i < n * f; i++) {
        if (codes == null) {
          msg[i] = FakeQuantizer.quantize(pm, x[i]);
          double t = Math.scalb(l.onePlusEps(), l.selfShift()) / pa.scale() * x[i];
          double bound = l.firstLayerSelfBound();
          self[i] = (long) Math.rint(Math.max(-bound, Math.min(bound, t)));
        } else {
          long c = codes[i] - xp.zeroPoint();
          msg[i] = requant(c, l.messageMultiplier(), pm, false);
        }
      }
      if (codes != null && l.onePlusEps() != 0) { // an int32 at scale s_agg 2^-k, not clamped
        for (int i = 0; i < n * f; i++) {
          long c = codes[i] - xp.zeroPoint();
          BigInteger p = BigInteger.valueOf(c).multiply(BigInteger.valueOf(l.selfMultiplier().multiplier()));
          BigInteger d = BigInteger.ONE.shiftLeft(31 + l.selfMultiplier().shift());
          BigInteger[] qr = p.abs().divideAndRemainder(d);
          BigInteger q = qr[1].shiftLeft(1).compareTo(d) >= 0 ? qr[0].add(BigInteger.ONE) : qr[0];
          self[i] = (long) Math.signum(l.onePlusEps()) * (p.signum() < 0 ? -q.longValue() : q.longValue());
        }
      }
      long[] sum = new long[n * f];
      for (int e = 0; e < src.length; e++) {
        if (src[e] != dst[e]) {
          for (int j = 0; j < f; j++) {
            sum[dst[e] * f + j] += msg[src[e] * f + j] - pm.zeroPoint();
          }
        }
      }
      int[] h0 = new int[n * f];
      for (int i = 0; i < n * f; i++) {
        int agg = requant(sum[i], l.aggregateMultiplier(), pa, false);
        long acc = ((long) (agg - pa.zeroPoint()) << l.selfShift()) + self[i];
        h0[i] = requant(acc, l.lin1InputMultiplier(), l.params(GinSite.LIN1_INPUT), false);
      }
      int[] z1 = dense(h0, n, f, h, l.w1(), l.b1(), l.params(GinSite.LIN1_INPUT),
          l.params(GinSite.LIN1_WEIGHT), l.lin1Multiplier(), l.params(GinSite.LIN1_OUTPUT), false);
      int[] h1 = new int[n * h];
      for (int i = 0; i < n * h; i++) {
        h1[i] = requant(z1[i] - l.params(GinSite.LIN1_OUTPUT).zeroPoint(), l.lin2InputMultiplier(),
            l.params(GinSite.LIN2_INPUT), true);
      }
      codes = dense(h1, n, h, h, l.w2(), l.b2(), l.params(GinSite.LIN2_INPUT),
          l.params(GinSite.LIN2_WEIGHT), l.lin2Multiplier(), l.params(GinSite.OUTPUT), l.outputRelu());
      xp = l.params(GinSite.OUTPUT);
    }
    int rows = n;
    int width = m.layers().get(m.layers().size() - 1).hidden();
    if (m.task() == ModelTask.GRAPH) {
      long[] sums = new long[graphs * width];
      int[] size = new int[graphs];
      for (int v = 0; v < n; v++) {
        size[nodeGraph[v]]++;
        for (int j = 0; j < width; j++) {
          sums[nodeGraph[v] * width + j] += codes[v * width + j] - xp.zeroPoint();
        }
      }
      DenseLayer first = m.denseLayers().get(0);
      int[] pooled = new int[graphs * width];
      int frac = m.readout().fractionBits();
      for (int g = 0; g < graphs; g++) {
        for (int j = 0; j < width; j++) {
          long s = sums[g * width + j];
          if (m.readout().pooling() == GraphReadout.Pooling.MEAN) { // exact rational rounding
            s = size[g] == 0 ? 0 : Math.round((double) (s << frac) / size[g]);
          }
          pooled[g * width + j] = requant(s, first.inputMultiplier(), first.params(DenseSite.INPUT), false);
        }
      }
      codes = pooled;
      rows = graphs;
      for (DenseLayer d : m.denseLayers()) {
        if (d != first) {
          for (int i = 0; i < codes.length; i++) {
            codes[i] = requant(codes[i] - xp.zeroPoint(), d.inputMultiplier(), d.params(DenseSite.INPUT), false);
          }
        }
        codes = dense(codes, rows, d.nIn(), d.nOut(), d.weights(), d.bias(), d.params(DenseSite.INPUT),
            d.params(DenseSite.WEIGHT), d.denseMultiplier(), d.params(DenseSite.OUTPUT), d.relu());
        xp = d.params(DenseSite.OUTPUT);
        width = d.nOut();
      }
    }
    OutputHead head = m.head();
    long[] logits = new long[rows * head.classes()];
    byte[] w = head.weights();
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < head.classes(); c++) {
        long acc = head.bias()[c];
        for (int i = 0; i < width; i++) {
          acc += (long) (codes[r * width + i] - xp.zeroPoint())
              * (w[i * head.classes() + c] - head.weightParams().zeroPoint());
        }
        logits[r * head.classes() + c] = acc;
      }
    }
    return logits;
  }

  private static int[] dense(int[] x, int rows, int k, int n, byte[] w, int[] b, QuantParams in,
      QuantParams pw, FixedPointMultiplier m, QuantParams out, boolean relu) {
    int[] y = new int[rows * n];
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < n; j++) {
        long acc = b[j];
        for (int i = 0; i < k; i++) {
          acc += (long) (x[r * k + i] - in.zeroPoint()) * (w[i * n + j] - pw.zeroPoint());
        }
        y[r * n + j] = requant(acc, m, out, relu);
      }
    }
    return y;
  }

  /** Two to four random graphs with self-loops, repeated edges and an isolated node. */
  private record Batch(int n, int[] src, int[] dst, int[] nodeGraph, int graphs, float[] x) {}

  private static Batch batch(SplittableRandom rnd, int width, double featureScale) {
    int graphs = 2 + rnd.nextInt(3);
    int n = 0;
    int[] nodeGraph = new int[64];
    int[] start = new int[graphs + 1];
    for (int g = 0; g < graphs; g++) {
      int size = 1 + rnd.nextInt(12);
      for (int i = 0; i < size; i++) {
        nodeGraph[n++] = g;
      }
      start[g + 1] = n;
    }
    int edges = 3 * n;
    int[] src = new int[edges];
    int[] dst = new int[edges];
    for (int e = 0; e < edges; e++) {
      int g = rnd.nextInt(graphs);
      src[e] = start[g] + rnd.nextInt(start[g + 1] - start[g]);
      dst[e] = start[g] + rnd.nextInt(start[g + 1] - start[g]);
    }
    float[] x = new float[n * width];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) ((rnd.nextDouble() * 2 - 0.5) * featureScale);
    }
    return new Batch(n, src, dst, java.util.Arrays.copyOf(nodeGraph, n), graphs, x);
  }

  @Test
  void everyStepMatchesTheExactReference() {
    SplittableRandom rnd = new SplittableRandom(42);
    int compared = 0;
    for (GinModel m : new GinModel[] {TinyModels.gin(), TinyModels.nodeGin()}) {
      for (int trial = 0; trial < 200; trial++) {
        // large features exercise the clamp of the first layer's self term
        Batch b = batch(rnd, m.inputWidth(), trial % 10 == 0 ? 1e6 : 2.0);
        GinGraph g = GinGraph.of(b.n(), b.src(), b.dst(), b.nodeGraph(), b.graphs());
        long[] expected = reference(m, b.x(), b.n(), b.src(), b.dst(), b.nodeGraph(), b.graphs());
        IntegerGin.Result scalar = new IntegerGin(m, Kernels.scalarInt8(), Arithmetic.EXACT,
            FusedInt8Kernels.scalar()).run(b.x(), g);
        IntegerGin.Result best = new IntegerGin(m, Kernels.int8(), Arithmetic.EXACT,
            FusedInt8Kernels.selected()).run(b.x(), g);
        IntegerGin.Result fastScalar = new IntegerGin(m, Kernels.scalarInt8(), Arithmetic.FAST,
            FusedInt8Kernels.scalar()).run(b.x(), g);
        IntegerGin.Result fast = new IntegerGin(m, Kernels.int8(), Arithmetic.FAST,
            FusedInt8Kernels.selected()).run(b.x(), g);
        assertEquals(expected.length, scalar.rows() * scalar.classes());
        for (int r = 0; r < scalar.rows(); r++) {
          for (int c = 0; c < scalar.classes(); c++) {
            assertEquals(expected[r * scalar.classes() + c], scalar.code(r, c),
                m.task() + " trial " + trial + " row " + r + " class " + c);
            assertEquals(scalar.code(r, c), best.code(r, c), "vector and scalar kernels agree");
            assertEquals(fastScalar.code(r, c), fast.code(r, c),
                "fused vector and scalar kernels agree (" + FusedInt8Kernels.selected().name() + ")");
            compared++;
          }
          double[] p = scalar.probabilities(r);
          assertEquals(1.0, java.util.Arrays.stream(p).sum(), 1e-9);
          assertEquals(scalar.predictions()[r], argmax(p));
        }
      }
    }
    System.out.println("integer GIN: " + compared + " logits equal the exact reference");
  }

  private static int argmax(double[] p) {
    int best = 0;
    for (int c = 1; c < p.length; c++) {
      best = p[c] > p[best] ? c : best;
    }
    return best;
  }

  @Test
  void meanPoolingRoundsTiesAwayFromZero() {
    assertEquals(3, IntegerGin.divideRounded(5, 2));
    assertEquals(-3, IntegerGin.divideRounded(-5, 2));
    assertEquals(2, IntegerGin.divideRounded(5, 3));
    assertEquals(-2, IntegerGin.divideRounded(-5, 3));
    assertEquals(0, IntegerGin.divideRounded(1, 3));
  }

  @Test
  void badInputIsNamed() {
    GinModel m = TinyModels.gin();
    IntegerGin engine = new IntegerGin(m);
    GinGraph g = GinGraph.of(3, new int[] {0, 1}, new int[] {1, 0}, new int[] {0, 0, 1}, 2);
    float[] ok = new float[9];
    assertEquals(2, engine.run(ok, g).rows());
    assertMessage(() -> engine.run(new float[12], g), "width 4");
    float[] nan = ok.clone();
    nan[4] = Float.NaN;
    assertMessage(() -> engine.run(nan, g), "feature 1 of node 1 is NaN");
    float[] inf = ok.clone();
    inf[8] = Float.NEGATIVE_INFINITY;
    assertMessage(() -> engine.run(inf, g), "feature 2 of node 2 is -Infinity");
    assertMessage(() -> GinGraph.of(3, new int[] {0, 3}, new int[] {1, 2}), "edge 1 (3 -> 2)");
    assertMessage(() -> GinGraph.of(3, new int[] {-1}, new int[] {1}), "edge 0 (-1 -> 1)");
    assertMessage(() -> GinGraph.of(3, new int[] {1}, new int[] {2}, new int[] {0, 0, 1}, 2), "joins graph 0");
    assertMessage(() -> GinGraph.of(3, new int[0], new int[0], new int[] {0, 2, 1}, 2), "node 1 belongs to graph 2");
    FloatGin f = new FloatGin(ModelTask.NODE, java.util.List.of(new FloatGin.Layer(3, 2, false, 0f,
        new float[6], new float[2], new float[4], new float[2])), null, java.util.List.of(),
        new FloatGin.Dense(2, 2, false, new float[4], new float[2]));
    assertMessage(() -> f.run(nan, g), "feature 1 of node 1 is NaN");
    // a GCN model cannot reach IntegerGin at all: its constructor takes a GinModel
  }

  private static void assertMessage(org.junit.jupiter.api.function.Executable run, String fragment) {
    DqInputException e = assertThrows(DqInputException.class, run);
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }

  @Test
  void graphPrepRules() {
    // self-loops dropped, repeated edges kept, in-edges grouped by target
    GinGraph g = GinGraph.of(3, new int[] {0, 1, 1, 2, 0}, new int[] {1, 1, 2, 2, 1});
    assertEquals(3, g.edges());
    assertArrayEquals(new int[] {0, 0, 2, 3}, g.inEdges().rowPtr());
    assertArrayEquals(new int[] {0, 0, 1}, g.inEdges().colIdx());
    assertEquals(1, g.graphs());
    assertEquals(3, g.graphSize(0));
  }
}
