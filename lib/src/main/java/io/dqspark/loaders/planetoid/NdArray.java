package io.dqspark.loaders.planetoid;

import java.nio.ByteBuffer;
import net.razorvine.pickle.PickleException;

/**
 * A numpy ndarray as pickled by {@code numpy.core.multiarray._reconstruct} plus a BUILD state
 * {@code (version, shape, dtype, is_fortran, raw_bytes)}. The raw bytes are kept and read in
 * place through a {@link ByteBuffer} in the array's byte order, so no value is boxed.
 */
final class NdArray implements PickleState {
  private int[] shape;
  private boolean fortran;
  private Dtype dtype;
  private ByteBuffer data;
  private int count;

  @Override
  public void setState(Object state) {
    Object[] t = Pickled.tuple(state, "numpy array state");
    int o = t.length == 5 ? 1 : t.length == 4 ? 0 : -1;
    if (o < 0) {
      throw new PickleException("numpy array state: expected 4 or 5 items, got " + t.length);
    }
    Object[] dims = Pickled.tuple(t[o], "numpy array shape");
    shape = new int[dims.length];
    long n = 1;
    for (int i = 0; i < dims.length; i++) {
      shape[i] = Pickled.size(dims[i], "numpy array shape");
      n *= shape[i];
      if (n > Integer.MAX_VALUE - 8) {
        throw new PickleException("numpy array of " + n + "+ elements is too large");
      }
    }
    if (!(t[o + 1] instanceof Dtype d)) {
      throw new PickleException("numpy array: expected a dtype, got " + Pickled.describe(t[o + 1]));
    }
    dtype = d;
    fortran = Pickled.bool(t[o + 2], "numpy array order flag");
    if (t[o + 3] instanceof java.util.List<?>) {
      throw new PickleException("numpy array of Python objects (dtype " + d.code() + ") is not supported");
    }
    byte[] raw = Pickled.bytes(t[o + 3], "numpy array data");
    count = (int) n;
    if ((long) count * d.itemSize() != raw.length) {
      throw new PickleException("numpy array data: " + raw.length + " bytes for " + count
          + " elements of dtype " + d.code() + " (expected " + (long) count * d.itemSize() + ")");
    }
    data = ByteBuffer.wrap(raw).order(d.order());
  }

  boolean built() {
    return data != null;
  }

  private void requireBuilt() {
    if (!built()) {
      throw new PickleException("numpy array without data (no BUILD state)");
    }
  }

  int ndim() {
    requireBuilt();
    return shape.length;
  }

  int dim(int axis) { return shape[axis]; }
  int count() { return count; }
  String dtypeCode() { return dtype.code(); }

  /** Element {@code (r, c)} of a 2-D array, honouring C or Fortran order. */
  double get(int r, int c) {
    int flat = fortran ? c * shape[0] + r : r * shape[1] + c;
    return dtype.readDouble(data, flat);
  }

  /** A 1-D integral array as int[] (CSR index arrays); the error says which array was wrong. */
  int[] toIntArray(String what) {
    requireBuilt();
    if (shape.length != 1 || !dtype.isIntegral()) {
      throw new PickleException(what + ": expected a 1-D integer array, got " + shape.length
          + "-D dtype " + dtype.code());
    }
    int[] out = new int[count];
    for (int i = 0; i < count; i++) {
      long v = dtype.readLong(data, i);
      if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
        throw new PickleException(what + "[" + i + "] = " + v + " does not fit an int");
      }
      out[i] = (int) v;
    }
    return out;
  }

  /** A 1-D numeric array as float[] (CSR values). */
  float[] toFloatArray(String what) {
    requireBuilt();
    if (shape.length != 1) {
      throw new PickleException(what + ": expected a 1-D array, got " + shape.length + "-D");
    }
    float[] out = new float[count];
    for (int i = 0; i < count; i++) {
      out[i] = (float) dtype.readDouble(data, i);
    }
    return out;
  }
}
