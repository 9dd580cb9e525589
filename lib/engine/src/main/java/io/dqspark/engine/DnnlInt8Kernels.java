package io.dqspark.engine;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.dnnl_ab;
import static org.bytedeco.dnnl.global.dnnl.dnnl_cpu;
import static org.bytedeco.dnnl.global.dnnl.dnnl_engine_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_matmul_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_init_by_tag;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_set_data_handle;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_query;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_execute;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_impl_info_str;
import static org.bytedeco.dnnl.global.dnnl.dnnl_s32;
import static org.bytedeco.dnnl.global.dnnl.dnnl_s8;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_default_flags;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_wait;
import static org.bytedeco.dnnl.global.dnnl.dnnl_success;

import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_matmul_desc_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * The dense int8 product on oneDNN's int8 matmul (JavaCPP's {@code org.bytedeco:dnnl}), which
 * uses AVX-512 VNNI's {@code vpdpbusd} (64 int8 multiply-adds per instruction) where the CPU has
 * it; every other kernel is the pure-Java one this wraps. Bit-identical to {@link
 * ScalarInt8Kernels} only where oneDNN computes the exact int32 sums (wrapping) of the raw codes:
 * with VNNI it does; without ({@code gemm:jit} on AVX2) its u8 x s8 pairs saturate in 16 bits, so
 * {@link Kernels} uses this class only after {@link NativeSelfCheck} has found it exact on this
 * CPU (design §5). The zero points are corrected here in int32 arithmetic, which wraps the same way:
 * {@code sum_i (x_i - zx)(w_ij - zw) + b_j = sum_i x_i w'_ij - zw' sum_i x_i + terms_j}, where
 * {@code w'} are the centred weights when they fit in int8 ({@code zw' = 0}) and otherwise the raw
 * codes ({@code zw' = zw}) with an extra all-ones weight column that makes oneDNN return
 * {@code sum_i x_i} too. Not oneDNN's own zero points or output scales: its float rounding is not
 * the engine's fixed-point rounding, so requantization stays in Java.
 *
 * <p>Rows go through native buffers in chunks of {@link #CHUNK} so the int32 block stays in cache
 * between oneDNN and the correction. Threads: oneDNN runs its OpenMP pool (set
 * {@code OMP_NUM_THREADS=1} to compare one core with one core). Loaded only through {@link
 * Kernels}, which falls back to the pure-Java kernels when the native library cannot load or the
 * self-check refuses it.
 */
final class DnnlInt8Kernels implements Int8Kernels {
  static final int CHUNK = 4096;

  private final Int8Kernels java;
  private final dnnl_engine engine;
  private final String implementation;

  DnnlInt8Kernels(Int8Kernels java) {
    this.java = java;
    this.engine = new dnnl_engine();
    check(dnnl_engine_create(engine, dnnl_cpu, 0), "engine create");
    this.implementation = probe();
  }

  /** oneDNN's name for the matmul it picked on this CPU, e.g. {@code brg:avx512_core_vnni}. */
  String implementation() {
    return implementation;
  }

  private String probe() {
    Matmul m = new Matmul(engine, 16, 64, 64);
    try {
      return m.implementation();
    } finally {
      m.close();
    }
  }

  @Override
  public String name() {
    return "dnnl";
  }

  @Override
  public void dense(byte[] x, int rows, Int8DenseWeights w, int[] out) {
    KernelArgs.dense(x.length, rows, w.k(), w.n(), out.length);
    run(x, rows, w, out, null, null);
  }

  @Override
  public void denseRequantize(byte[] x, int rows, Int8DenseWeights w, Requantizer rq, byte[] out) {
    KernelArgs.dense(x.length, rows, w.k(), w.n(), out.length);
    run(x, rows, w, null, rq, out);
  }

  /** Into {@code intOut} when it is given, else requantized by {@code rq} into {@code byteOut}. */
  private void run(byte[] x, int rows, Int8DenseWeights w, int[] intOut, Requantizer rq,
      byte[] byteOut) {
    if (rows == 0) {
      return;
    }
    final int k = w.k();
    final int n = w.n();
    final byte[] centred = centredIfInt8(w);
    final boolean rowSums = centred == null && w.weightZeroPoint() != 0;
    final int nn = rowSums ? n + 1 : n;
    final int zw = rowSums ? w.weightZeroPoint() : 0;
    final int[] terms = w.columnTerms();
    final int chunk = Math.min(CHUNK, rows);
    byte[] weights = centred != null ? centred : rowSums ? withOnesColumn(w.codes(), k, n) : w.codes();
    int[] block = new int[chunk * nn];
    try (BytePointer src = new BytePointer((long) chunk * k);
        BytePointer wts = new BytePointer((long) k * nn);
        IntPointer dst = new IntPointer((long) chunk * nn)) {
      wts.put(weights);
      Matmul full = new Matmul(engine, chunk, k, nn);
      Matmul tail = rows % chunk == 0 ? null : new Matmul(engine, rows % chunk, k, nn);
      try {
        for (int r0 = 0; r0 < rows; r0 += chunk) {
          int m = Math.min(chunk, rows - r0);
          src.position(0).put(x, r0 * k, m * k);
          (m == chunk ? full : tail).execute(src, wts, dst);
          dst.position(0).get(block, 0, m * nn);
          // block[r, j] + terms_j - zw' * rowSum_r, in wrapping int32 like the Java kernels
          for (int r = 0; r < m; r++) {
            int b = r * nn;
            int c = rowSums ? zw * block[b + n] : 0;
            int o = intOut != null ? (r0 + r) * n : r * n;
            int[] dstRow = intOut != null ? intOut : block;
            for (int j = 0; j < n; j++) {
              dstRow[o + j] = block[b + j] + terms[j] - c;
            }
          }
          if (intOut == null) {
            java.requantize(block, 0, byteOut, r0 * n, m * n, rq);
          }
        }
      } finally {
        full.close();
        if (tail != null) {
          tail.close();
        }
      }
    }
  }

  /** {@code w - zw} as int8 codes when every one fits, else null. */
  private static byte[] centredIfInt8(Int8DenseWeights w) {
    byte[] codes = w.codes();
    int zw = w.weightZeroPoint();
    byte[] c = new byte[codes.length];
    for (int i = 0; i < codes.length; i++) {
      int v = codes[i] - zw;
      if (v < Byte.MIN_VALUE || v > Byte.MAX_VALUE) {
        return null;
      }
      c[i] = (byte) v;
    }
    return c;
  }

  /** {@code [k, n+1]}: the codes with a last column of ones, whose product is the row sum. */
  private static byte[] withOnesColumn(byte[] codes, int k, int n) {
    byte[] c = new byte[k * (n + 1)];
    for (int i = 0; i < k; i++) {
      System.arraycopy(codes, i * n, c, i * (n + 1), n);
      c[i * (n + 1) + n] = 1;
    }
    return c;
  }

  @Override
  public void requantize(int[] acc, int accOffset, byte[] out, int outOffset, int length,
      Requantizer rq) {
    java.requantize(acc, accOffset, out, outOffset, length, rq);
  }

  @Override
  public void aggregate(CsrAdjacency adj, byte[] edgeCodes, int edgeZeroPoint, byte[] x, int width,
      int xZeroPoint, int[] out) {
    java.aggregate(adj, edgeCodes, edgeZeroPoint, x, width, xZeroPoint, out);
  }

  @Override
  public void aggregateRequantize(CsrAdjacency adj, byte[] edgeCodes, int edgeZeroPoint, byte[] x,
      int width, int xZeroPoint, Requantizer rq, byte[] out) {
    java.aggregateRequantize(adj, edgeCodes, edgeZeroPoint, x, width, xZeroPoint, rq, out);
  }

  @Override
  public void messageSum(CsrAdjacency adj, byte[] edgeCodes, int edgeZeroPoint, byte[] x, int width,
      int xZeroPoint, Requantizer message, int[] out) {
    java.messageSum(adj, edgeCodes, edgeZeroPoint, x, width, xZeroPoint, message, out);
  }

  static void check(int status, String what) {
    if (status != dnnl_success) {
      throw new IllegalStateException("oneDNN " + what + " failed with status " + status);
    }
  }

  /** One {@code [m, k] s8 x [k, n] s8 -> [m, n] s32} matmul primitive and its memory objects. */
  private static final class Matmul implements AutoCloseable {
    private final dnnl_primitive_desc pd = new dnnl_primitive_desc();
    private final dnnl_primitive primitive = new dnnl_primitive();
    private final dnnl_stream stream = new dnnl_stream();
    private final dnnl_memory src = new dnnl_memory();
    private final dnnl_memory weights = new dnnl_memory();
    private final dnnl_memory dst = new dnnl_memory();
    private final dnnl_exec_arg_t args = new dnnl_exec_arg_t(3);

    Matmul(dnnl_engine engine, int m, int k, int n) {
      dnnl_memory_desc_t srcMd = desc(new long[] {m, k}, dnnl_s8);
      dnnl_memory_desc_t wMd = desc(new long[] {k, n}, dnnl_s8);
      dnnl_memory_desc_t dstMd = desc(new long[] {m, n}, dnnl_s32);
      dnnl_matmul_desc_t md = new dnnl_matmul_desc_t();
      check(dnnl_matmul_desc_init(md, srcMd, wMd, null, dstMd), "matmul desc");
      check(dnnl_primitive_desc_create(pd, new const_dnnl_op_desc_t(md), null, engine, null),
          "matmul primitive desc");
      check(dnnl_primitive_create(primitive, pd), "matmul primitive");
      check(dnnl_stream_create(stream, engine, dnnl_stream_default_flags), "stream");
      check(dnnl_memory_create(src, srcMd, engine, null), "memory");
      check(dnnl_memory_create(weights, wMd, engine, null), "memory");
      check(dnnl_memory_create(dst, dstMd, engine, null), "memory");
      args.position(0).arg(DNNL_ARG_SRC).memory(src);
      args.position(1).arg(DNNL_ARG_WEIGHTS).memory(weights);
      args.position(2).arg(DNNL_ARG_DST).memory(dst);
      args.position(0);
    }

    private static dnnl_memory_desc_t desc(long[] dims, int type) {
      dnnl_memory_desc_t d = new dnnl_memory_desc_t();
      check(dnnl_memory_desc_init_by_tag(d, 2, dims, type, dnnl_ab), "memory desc");
      return d;
    }

    String implementation() {
      try (PointerPointer<BytePointer> info = new PointerPointer<>(1)) {
        check(dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, info), "query");
        return info.getString(0);
      }
    }

    void execute(BytePointer x, BytePointer w, IntPointer out) {
      check(dnnl_memory_set_data_handle(src, x), "set src");
      check(dnnl_memory_set_data_handle(weights, w), "set weights");
      check(dnnl_memory_set_data_handle(dst, out), "set dst");
      check(dnnl_primitive_execute(primitive, stream, 3, args), "matmul execute");
      check(dnnl_stream_wait(stream), "stream wait");
    }

    @Override
    public void close() {
      dnnl_memory_destroy(src);
      dnnl_memory_destroy(weights);
      dnnl_memory_destroy(dst);
      dnnl_stream_destroy(stream);
      dnnl_primitive_destroy(primitive);
      dnnl_primitive_desc_destroy(pd);
      args.close();
    }
  }
}
