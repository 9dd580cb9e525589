package io.dqspark.engine;

import java.lang.reflect.Proxy;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/** Random inputs with the awkward cases the kernels must survive, and the implementations to test. */
final class EngineTestData {
  private EngineTestData() {}

  /**
   * Scalar, vector and oneDNN integer kernels; the build promises the vector module, so it must be
   * there. oneDNN runs only where it loads and passed the self-check on this CPU; elsewhere (e.g.
   * AVX2 without VNNI) a stand-in takes its place whose every call skips that test case, saying why.
   */
  static Stream<Int8Kernels> int8Kernels() {
    return Stream.of(Kernels.scalarInt8(), vectorOrFail(),
        Kernels.nativeInt8().orElseGet(() -> skippedNative(Kernels.nativeStatus())));
  }

  /** The integer kernels that run here, for a test that loops over all of them in one case. */
  static Stream<Int8Kernels> availableInt8Kernels() {
    return Stream.concat(Stream.of(Kernels.scalarInt8(), vectorOrFail()), Kernels.nativeInt8().stream());
  }

  /** The oneDNN kernels, or the test is skipped (and says why) where they do not run here. */
  static Int8Kernels nativeOrSkip() {
    if (Kernels.nativeInt8().isEmpty()) {
      System.out.println("skipped: oneDNN kernels do not run here: " + Kernels.nativeStatus());
    }
    Assumptions.assumeTrue(Kernels.nativeInt8().isPresent(), Kernels.nativeStatus());
    return Kernels.nativeInt8().get();
  }

  private static Int8Kernels vectorOrFail() {
    return Kernels.vectorInt8().orElseThrow(
        () -> new AssertionError("vector kernels missing: " + Kernels.description()));
  }

  /**
   * Stands in for native kernels that do not run here: named for the test report, and any kernel
   * call aborts the test case with {@code reason}. A proxy, so it follows the interface as it grows.
   */
  private static Int8Kernels skippedNative(String reason) {
    String label = "dnnl (not run here)";
    return (Int8Kernels) Proxy.newProxyInstance(Int8Kernels.class.getClassLoader(),
        new Class<?>[] {Int8Kernels.class}, (proxy, method, args) -> {
          switch (method.getName()) {
            case "name":
            case "toString":
              return label;
            case "hashCode":
              return System.identityHashCode(proxy);
            case "equals":
              return proxy == args[0];
            default:
              System.out.println("skipped: oneDNN kernels do not run here: " + reason);
              Assumptions.abort(reason);
              return null;
          }
        });
  }

  static Stream<FloatKernels> floatKernels() {
    return Stream.of(Kernels.scalarFp32(), Kernels.vectorFp32().orElseThrow(
        () -> new AssertionError("vector kernels missing: " + Kernels.description())));
  }

  static Int8Kernels vectorInt8() {
    Assumptions.assumeTrue(Kernels.vectorInt8().isPresent(), Kernels.description());
    return Kernels.vectorInt8().get();
  }

  /**
   * int8 codes: mode 0 uniform over [-128, 127], mode 1 only the extremes -128 and 127, mode 2
   * small values around 0 (as trained tensors mostly are).
   */
  static byte[] codes(SplittableRandom rnd, int length, int mode) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      switch (mode) {
        case 0: b[i] = (byte) rnd.nextInt(-128, 128); break;
        case 1: b[i] = rnd.nextBoolean() ? (byte) -128 : (byte) 127; break;
        default: b[i] = (byte) rnd.nextInt(-8, 9); break;
      }
    }
    return b;
  }

  /** Zero points at both ends of the range, 0, and a random one. */
  static int[] zeroPoints(SplittableRandom rnd) {
    return new int[] {-128, 127, 0, rnd.nextInt(-128, 128)};
  }

  /**
   * A random CSR graph over {@code targets} targets and {@code sources} sources: about a third of
   * the targets without in-edges, a few hubs, the rest with 1-5 in-edges; repeated sources allowed.
   */
  static CsrAdjacency graph(SplittableRandom rnd, int targets, int sources) {
    int[] rowPtr = new int[targets + 1];
    for (int v = 0; v < targets; v++) {
      int roll = rnd.nextInt(10);
      int degree = sources == 0 || roll < 3 ? 0 : roll == 9 ? rnd.nextInt(20, 200) : rnd.nextInt(1, 6);
      rowPtr[v + 1] = rowPtr[v] + degree;
    }
    int[] colIdx = new int[rowPtr[targets]];
    for (int e = 0; e < colIdx.length; e++) {
      colIdx[e] = rnd.nextInt(sources);
    }
    return CsrAdjacency.of(rowPtr, colIdx, sources);
  }

  /** {@code sum_i (x - zx)(w - zw) + bias} in long: the dense reference. */
  static long[] denseReference(byte[] x, int rows, int k, byte[] w, int n, int zx, int zw, int[] bias) {
    long[] out = new long[rows * n];
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < n; j++) {
        long acc = bias == null ? 0 : bias[j];
        for (int i = 0; i < k; i++) {
          acc += (long) (x[r * k + i] - zx) * (w[i * n + j] - zw);
        }
        out[r * n + j] = acc;
      }
    }
    return out;
  }

  /** {@code sum_e (c_e - zc)(x_u - zx)} in long: the aggregation reference. */
  static long[] aggregateReference(CsrAdjacency adj, byte[] codes, int zc, byte[] x, int width, int zx) {
    long[] out = new long[adj.targets() * width];
    for (int v = 0; v < adj.targets(); v++) {
      for (int e = adj.rowPtr()[v]; e < adj.rowPtr()[v + 1]; e++) {
        long a = codes == null ? 1 : codes[e] - zc;
        int u = adj.colIdx()[e];
        for (int j = 0; j < width; j++) {
          out[v * width + j] += a * (x[u * width + j] - zx);
        }
      }
    }
    return out;
  }

  static int[] toIntExact(long[] v) {
    int[] out = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = Math.toIntExact(v[i]);
    }
    return out;
  }
}
