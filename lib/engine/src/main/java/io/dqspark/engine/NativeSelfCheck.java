package io.dqspark.engine;

import io.dqspark.quant.FixedPointMultiplier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Proves a native dense product exact on this CPU before the engine uses it (design §5): its
 * {@link Int8Kernels#dense} and {@link Int8Kernels#denseRequantize} on small cases built to break
 * an inexact int8 GEMM, compared value by value with the scalar reference.
 *
 * <p>Why a check of results rather than a rule on the instruction set: oneDNN's int8 matmul picks
 * its algorithm per CPU and per shape, and without VNNI ({@code gemm:jit} on AVX2) it multiplies
 * u8 x s8 with {@code vpmaddubsw}, whose pairwise sums saturate at int16, so large codes come out
 * wrong while the small codes of most trained tensors pass. The cases therefore hold extreme codes
 * (rows of all 127 activations, all -128, alternating and random, against columns of the same
 * patterns), zero points at both ends and in between (both of the native wrapper's weight paths:
 * centred codes that fit int8, and raw codes with a row-sum column), odd {@code k} and {@code n},
 * {@code k} of 257 and 1,000 (far beyond where int16 partial sums hold), a random case, and a full
 * 4,096-row chunk plus a tail (the shapes scoring sends, for which the library may pick another
 * algorithm than for a few rows). About 0.3 s at first use, once per JVM.
 */
final class NativeSelfCheck {
  private NativeSelfCheck() {}

  /**
   * One dense product to compare: activations {@code [rows, k]}, weights {@code [k, n]}; rows and
   * columns may be named after the code pattern they hold (null: not named; past the end of the
   * names: the last name).
   */
  private record Case(String what, int rows, byte[] x, Int8DenseWeights w, String[] rowNames,
      String[] columnNames) {}

  /**
   * Where {@code candidate} first differs from {@code reference} on the self-check cases, as
   * words for a log line, or null when every value of every case is identical.
   */
  static String firstDifference(Int8Kernels candidate, Int8Kernels reference) {
    for (Case c : cases()) {
      String d = compare(c, candidate, reference);
      if (d != null) {
        return d;
      }
    }
    return null;
  }

  private static String compare(Case c, Int8Kernels candidate, Int8Kernels reference) {
    int size = c.rows() * c.w().n();
    int[] expected = new int[size];
    reference.dense(c.x(), c.rows(), c.w(), expected);
    Requantizer rq = spanning(expected, c.w().inputZeroPoint());
    byte[] expectedQ = new byte[size];
    reference.denseRequantize(c.x(), c.rows(), c.w(), rq, expectedQ);
    int[] got = new int[size];
    byte[] gotQ = new byte[size];
    try {
      candidate.dense(c.x(), c.rows(), c.w(), got);
      candidate.denseRequantize(c.x(), c.rows(), c.w(), rq, gotQ);
    } catch (RuntimeException | LinkageError e) {
      return c.what() + ": the candidate failed with " + e;
    }
    int i = Arrays.mismatch(expected, got);
    if (i >= 0) {
      return at(c, i, "dense", got[i], expected[i]);
    }
    i = Arrays.mismatch(expectedQ, gotQ);
    return i < 0 ? null : at(c, i, "requantized dense", gotQ[i], expectedQ[i]);
  }

  private static String at(Case c, int i, String product, int got, int expected) {
    int n = c.w().n();
    int r = i / n;
    int j = i % n;
    return c.what() + ", " + product + " row " + r + name(c.rowNames(), r, "x") + " column " + j
        + name(c.columnNames(), j, "w") + ": " + got + " where the scalar reference gives " + expected;
  }

  private static String name(String[] names, int i, String tensor) {
    return names == null ? "" : " (" + tensor + " " + names[Math.min(i, names.length - 1)] + ")";
  }

  /** A requantizer that maps the largest accumulator near 100, so that errors show in the codes. */
  private static Requantizer spanning(int[] acc, int zeroPointSeed) {
    long max = 1;
    for (int a : acc) {
      max = Math.max(max, Math.abs((long) a));
    }
    return Requantizer.of(FixedPointMultiplier.of(100.0 / max), zeroPointSeed / 4, -128, 127,
        (zeroPointSeed & 1) != 0);
  }

  private static List<Case> cases() {
    List<Case> cases = new ArrayList<>();
    SplittableRandom rnd = new SplittableRandom(20241);
    // extreme codes in patterns, rows of x against columns of w, under zero points at both ends,
    // zero and in between; zw = 0 takes the native wrapper's centred path, the others its row sums
    int[][] zeroPointsAndK = {{0, 0, 257}, {-128, -128, 1000}, {127, 127, 257}, {127, -128, 1000},
        {-128, 127, 257}, {5, 3, 1000}, {-7, 60, 257}};
    for (int[] z : zeroPointsAndK) {
      int k = z[2];
      int rows = PATTERN_NAMES.length;
      int n = 17;
      byte[] x = new byte[rows * k];
      byte[] w = new byte[k * n];
      for (int i = 0; i < k; i++) {
        for (int r = 0; r < rows; r++) {
          x[r * k + i] = pattern(r, i, rnd);
        }
        for (int j = 0; j < n; j++) {
          w[i * n + j] = pattern(j, i, rnd);
        }
      }
      cases.add(new Case(String.format("extreme codes zx=%d zw=%d k=%d n=%d", z[0], z[1], k, n), rows, x,
          Int8DenseWeights.pack(w, k, n, z[1], null, z[0]), PATTERN_NAMES, PATTERN_NAMES));
    }
    // {rows, k, n, zx, zw, codes (see codes())}; the last is a full 4,096-row chunk plus a tail
    int[][] shapes = {
        {1, 1, 1, -128, 127, 1}, {4, 999, 31, 127, -128, 1}, {7, 257, 65, 41, -90, 0},
        {6, 301, 19, -3, 20, 2}, {4096 + 3, 64, 64, -5, 0, 1}};
    for (int[] s : shapes) {
      int rows = s[0];
      int k = s[1];
      int n = s[2];
      byte[] x = codes(rnd, rows * k, s[5]);
      byte[] w = codes(rnd, k * n, s[5]);
      int[] bias = rnd.ints(n, -100_000, 100_000).toArray();
      cases.add(new Case(String.format("%s codes zx=%d zw=%d rows=%d k=%d n=%d", CODE_NAMES[s[5]], s[3], s[4],
          rows, k, n), rows, x, Int8DenseWeights.pack(w, k, n, s[4], bias, s[3]), null, null));
    }
    return cases;
  }

  private static final String[] PATTERN_NAMES = {"all 127", "all -128", "alternating 127, -128",
      "alternating -128, 127", "random -128 or 127"};
  private static final String[] CODE_NAMES = {"random", "random extreme", "random [-100, 100]"};

  /** Element {@code i} of row or column {@code p}, holding pattern {@code min(p, 4)} of {@link #PATTERN_NAMES}. */
  private static byte pattern(int p, int i, SplittableRandom rnd) {
    switch (p) {
      case 0: return 127;
      case 1: return -128;
      case 2: return i % 2 == 0 ? (byte) 127 : (byte) -128;
      case 3: return i % 2 == 0 ? (byte) -128 : (byte) 127;
      default: return rnd.nextBoolean() ? (byte) 127 : (byte) -128;
    }
  }

  /** 0: uniform over int8; 1: -128 or 127 at random; 2: uniform over [-100, 100] (centred fits int8). */
  private static byte[] codes(SplittableRandom rnd, int length, int mode) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      switch (mode) {
        case 0 -> b[i] = (byte) rnd.nextInt(-128, 128);
        case 1 -> b[i] = rnd.nextBoolean() ? (byte) 127 : (byte) -128;
        default -> b[i] = (byte) rnd.nextInt(-100, 101);
      }
    }
    return b;
  }
}
