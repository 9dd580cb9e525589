package io.dqspark.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The GAT kernels (design §5.6): the integer pass selected on this CPU equals the scalar reference
 * bit for bit, for head layouts that take every vector path (heads of 8 and of 16 columns, two
 * heads per column chunk, heads spread by a rearrange, column tails), concatenated and averaged
 * heads, targets without in-edges and with hundreds (the 16 partial sums, their tails), logits
 * beyond the code range, exact rounding ties, the table's extremes, extreme codes and zero points.
 * The FP32 pass, whose vector exponential is not the scalar one, agrees within float rounding.
 * Run it with {@code JAVA_TOOL_OPTIONS=-XX:UseAVX=2} to check the AVX2 shapes on an AVX-512 CPU.
 */
class GatKernelTest {
  private static final GatKernels SCALAR = GatKernels.scalar();
  private static final GatKernels SELECTED = GatKernels.selected();
  /** heads x outPerHead: every column layout of 8 and 16 lanes. */
  private static final int[][] SHAPES = {{8, 8}, {1, 16}, {1, 7}, {4, 4}, {3, 5}, {16, 1},
      {2, 16}, {8, 2}, {2, 8}, {1, 1}, {5, 24}, {1, 64}};

  @Test
  void theVectorKernelsAreSelectedWhereTheVectorModuleRuns() {
    System.out.println("GAT kernels on " + CpuInfo.get().summary() + ": " + SELECTED.name()
        + "; " + Kernels.description());
    assertEquals(Kernels.vectorized() ? "vector" : "scalar", SELECTED.name());
  }

  /** A random graph with one target without in-edges, one with 600 and the rest 0 to 40. */
  static CsrAdjacency graph(SplittableRandom rnd, int nodes) {
    int[] degree = new int[nodes];
    for (int v = 0; v < nodes; v++) {
      degree[v] = v == 0 ? 0 : v == 1 ? 600 : rnd.nextInt(0, 41);
    }
    int[] rowPtr = new int[nodes + 1];
    for (int v = 0; v < nodes; v++) {
      rowPtr[v + 1] = rowPtr[v] + degree[v];
    }
    int[] col = new int[rowPtr[nodes]];
    for (int e = 0; e < col.length; e++) {
      col[e] = rnd.nextInt(nodes);
    }
    return CsrAdjacency.of(rowPtr, col, nodes);
  }

  static byte[] codes(SplittableRandom rnd, int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      int kind = rnd.nextInt(8);
      b[i] = (byte) (kind == 0 ? 127 : kind == 1 ? -128 : rnd.nextInt(-128, 128));
    }
    return b;
  }

  /**
   * Scores pre-scaled to logit codes: mostly inside {@code [lo, hi]}, some far outside (clamped),
   * some on exact half-integers (rounding ties), some making {@code sf + df} an exact tie.
   */
  static float[] scores(SplittableRandom rnd, int n, int lo, int hi) {
    float[] s = new float[n];
    for (int i = 0; i < n; i++) {
      int kind = rnd.nextInt(10);
      s[i] = kind == 0 ? (float) rnd.nextDouble(-1e6, 1e6)
          : kind == 1 ? rnd.nextInt(lo, hi + 1) / 2 + 0.5f
          : kind == 2 ? (rnd.nextBoolean() ? 0.25f : -0.25f)
          : (float) rnd.nextDouble(lo / 2.0 - 2, hi / 2.0 + 2);
    }
    return s;
  }

  /** A table as the engine builds it, or with every weight at one extreme. */
  static float[] table(SplittableRandom rnd, int lo, int hi, int kind) {
    float[] w = new float[hi - lo + 1];
    double s = rnd.nextDouble(0.01, 0.4);
    for (int c = lo; c <= hi; c++) {
      double x = Math.exp(s * ((c > 0 ? c : c / 5.0) - hi));
      w[c - lo] = kind == 1 ? GatInt8Pass.MIN_WEIGHT : kind == 2 ? 1f
          : Math.max(GatInt8Pass.MIN_WEIGHT, (float) x);
    }
    return w;
  }

  private static GatInt8Pass pass(SplittableRandom rnd, int heads, int f, boolean concat, int lo,
      int hi, float[] table) {
    int nOut = concat ? heads * f : f;
    int za = rnd.nextInt(-128, 128);
    int zo = rnd.nextInt(-128, 128);
    boolean relu = rnd.nextBoolean();
    FloatRequant agg = new FloatRequant((float) Math.scalb(rnd.nextDouble(0.5, 1), -rnd.nextInt(0, 5)),
        za, -128, 127);
    FloatRequant out = new FloatRequant((float) Math.scalb(rnd.nextDouble(0.5, 1), -rnd.nextInt(6, 12)),
        zo, relu ? zo : -128, 127);
    // 8-bit messages, or 4-bit ones (then messages are clamped often); multipliers up to 64
    boolean four = rnd.nextInt(3) == 0;
    int zm = four ? rnd.nextInt(-8, 8) : rnd.nextInt(-128, 128);
    float message = (float) Math.scalb(rnd.nextDouble(0.5, 1), rnd.nextInt(-2, 7));
    return new GatInt8Pass(heads, f, concat, rnd.nextInt(-128, 128), lo, hi, table, message,
        (four ? -8 : -128) - zm, (four ? 7 : 127) - zm, agg, rnd.nextInt(0, 7),
        rnd.ints(nOut, -50000, 50000).toArray(), out);
  }

  @Test
  void int8LayerEqualsTheScalarReference() {
    SplittableRandom rnd = new SplittableRandom(11);
    int nodes = 70;
    for (int[] shape : SHAPES) {
      for (boolean concat : new boolean[] {true, false}) {
        for (int kind = 0; kind < 3; kind++) {
          int heads = shape[0];
          int f = shape[1];
          int lo = kind == 0 ? -128 : rnd.nextInt(-128, 0);
          int hi = kind == 0 ? 127 : rnd.nextInt(0, 128);
          CsrAdjacency g = graph(rnd, nodes);
          GatInt8Pass p = pass(rnd, heads, f, concat, lo, hi, table(rnd, lo, hi, kind));
          byte[] z = codes(rnd, nodes * heads * f);
          float[] sf = scores(rnd, nodes * heads, lo, hi);
          float[] df = scores(rnd, nodes * heads, lo, hi);
          byte[] a = new byte[nodes * p.nOut()];
          byte[] b = new byte[nodes * p.nOut()];
          SCALAR.int8Layer(p, g, z, sf, df, a);
          SELECTED.int8Layer(p, g, z, sf, df, b);
          assertArrayEquals(a, b, SELECTED.name() + ": " + heads + " heads of " + f
              + (concat ? " concatenated" : " averaged") + ", table kind " + kind);
        }
      }
    }
  }

  /**
   * The other cases mostly run before C2 compiles the vector kernels (the Vector API then runs its
   * Java fallbacks); this one repeats the pass until it is compiled and checks every repetition.
   */
  @Test
  void compiledInt8LayerStaysBitIdentical() {
    SplittableRandom rnd = new SplittableRandom(13);
    int nodes = 90;
    int[][] shapes = {{8, 8}, {1, 16}, {4, 4}, {3, 5}, {2, 8}};
    GatInt8Pass[] passes = new GatInt8Pass[shapes.length];
    CsrAdjacency[] graphs = new CsrAdjacency[shapes.length];
    byte[][] zs = new byte[shapes.length][];
    float[][] sfs = new float[shapes.length][];
    float[][] dfs = new float[shapes.length][];
    byte[][] refs = new byte[shapes.length][];
    for (int i = 0; i < shapes.length; i++) {
      int heads = shapes[i][0];
      int f = shapes[i][1];
      passes[i] = pass(rnd, heads, f, i % 2 == 0, -128, 127, table(rnd, -128, 127, 0));
      graphs[i] = graph(rnd, nodes);
      zs[i] = codes(rnd, nodes * heads * f);
      sfs[i] = scores(rnd, nodes * heads, -128, 127);
      dfs[i] = scores(rnd, nodes * heads, -128, 127);
      refs[i] = new byte[nodes * passes[i].nOut()];
      SCALAR.int8Layer(passes[i], graphs[i], zs[i], sfs[i], dfs[i], refs[i]);
    }
    for (int rep = 0; rep < 300; rep++) {
      for (int i = 0; i < shapes.length; i++) {
        byte[] b = new byte[refs[i].length];
        SELECTED.int8Layer(passes[i], graphs[i], zs[i], sfs[i], dfs[i], b);
        assertArrayEquals(refs[i], b, "repetition " + rep + ", " + shapes[i][0] + " heads of " + shapes[i][1]);
      }
    }
  }

  /**
   * The extremes: 600 in-edges of one source whose codes are all 127 (and all -128), the XW zero
   * point at the other end, the largest message multiplier, so every message is clamped; every
   * logit clamped to the top, or to the bottom with the smallest table weight (the weight sum
   * stays normal, its reciprocal finite).
   */
  @Test
  void extremeSumsAndClampedLogitsAgreeAndStayFinite() {
    int heads = 8;
    int f = 8;
    int width = heads * f;
    int[] rowPtr = {0, 600, 600};
    CsrAdjacency g = CsrAdjacency.of(rowPtr, new int[600], 2);
    for (byte code : new byte[] {127, -128}) {
      for (float score : new float[] {1e30f, -1e30f, 0f}) {
        float[] table = new float[256];
        java.util.Arrays.fill(table, score < 0 ? GatInt8Pass.MIN_WEIGHT : 1f);
        GatInt8Pass p = new GatInt8Pass(heads, f, true, code == 127 ? -128 : 127, -128, 127, table,
            GatInt8Pass.MAX_MESSAGE_MULTIPLIER, -128, 127, new FloatRequant(0x1p-10f, 0, -128, 127),
            0, new int[width], new FloatRequant(1f, 0, -128, 127));
        byte[] z = new byte[2 * width];
        java.util.Arrays.fill(z, code);
        float[] sf = new float[2 * heads];
        java.util.Arrays.fill(sf, score);
        float[] df = new float[2 * heads];
        byte[] a = new byte[2 * width];
        byte[] b = new byte[2 * width];
        SCALAR.int8Layer(p, g, z, sf, df, a);
        SELECTED.int8Layer(p, g, z, sf, df, b);
        assertArrayEquals(a, b, "code " + code + ", score " + score);
        // each message 255 / 600 * 2^13 = 3482 clamped to 127 (-128); 600 of them, times 2^-10
        assertEquals(code == 127 ? 74 : -75, a[0], "code " + code + ", score " + score);
        assertEquals(0, a[width], "the target without in-edges gets the zero aggregate");
      }
    }
  }

  @Test
  void fp32LayerAgreesWithTheScalarReferenceWithinRounding() {
    SplittableRandom rnd = new SplittableRandom(12);
    int nodes = 60;
    for (int[] shape : SHAPES) {
      for (boolean concat : new boolean[] {true, false}) {
        for (int act = 0; act <= 2; act++) {
          int heads = shape[0];
          int f = shape[1];
          CsrAdjacency g = graph(rnd, nodes);
          int nOut = concat ? heads * f : f;
          float[] bias = new float[nOut];
          for (int j = 0; j < nOut; j++) {
            bias[j] = (float) rnd.nextDouble(-1, 1);
          }
          GatFloatPass p = new GatFloatPass(heads, f, concat, bias, act);
          float[] z = new float[nodes * heads * f];
          for (int i = 0; i < z.length; i++) {
            z[i] = (float) rnd.nextDouble(-3, 3);
          }
          float[] sf = new float[nodes * heads];
          float[] df = new float[nodes * heads];
          for (int i = 0; i < sf.length; i++) {
            sf[i] = (float) rnd.nextDouble(-8, 8);
            df[i] = (float) rnd.nextDouble(-8, 8);
          }
          float[] a = new float[nodes * nOut];
          float[] b = new float[nodes * nOut];
          SCALAR.fp32Layer(p, g, z, sf, df, a);
          SELECTED.fp32Layer(p, g, z, sf, df, b);
          for (int i = 0; i < a.length; i++) {
            assertTrue(Math.abs(a[i] - b[i]) <= 2e-6 * Math.max(1, Math.abs(a[i])),
                heads + " x " + f + (concat ? " concat" : " mean") + " activation " + act
                    + ": " + a[i] + " vs " + b[i] + " at " + i);
          }
          for (int j = 0; j < nOut; j++) {
            float y = bias[j];
            if (act == GatFloatPass.RELU) {
              y = Math.max(0, y);
            } else if (act == GatFloatPass.ELU && y <= 0) {
              y = (float) Math.expm1(y);
            }
            assertEquals(y, a[j], 1e-6, "the target without in-edges: bias and activation only");
          }
        }
      }
    }
  }
}
