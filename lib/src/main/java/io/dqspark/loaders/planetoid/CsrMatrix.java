package io.dqspark.loaders.planetoid;

import java.util.Arrays;
import java.util.Map;
import net.razorvine.pickle.PickleException;

/**
 * A scipy {@code csr_matrix} as pickled: an empty object whose BUILD state is its
 * {@code __dict__} ({@code _shape}, {@code indptr}, {@code indices}, {@code data}, ...). The
 * index arrays are checked once here, so reading rows cannot go out of bounds; repeated column
 * entries in a row are summed, as scipy's {@code todense()} does.
 */
final class CsrMatrix implements PickleState, RowMatrix {
  private int rows = -1;
  private int cols;
  private int[] indptr;
  private int[] indices;
  private float[] data;

  @Override
  public void setState(Object state) {
    if (!(state instanceof Map<?, ?> d)) {
      throw new PickleException("scipy CSR state: expected a dict, got " + Pickled.describe(state));
    }
    Object shape = d.containsKey("_shape") ? d.get("_shape") : d.get("shape");
    Object[] dims = Pickled.tuple(shape, "scipy CSR shape");
    if (dims.length != 2) {
      throw new PickleException("scipy CSR shape: expected 2 dimensions, got " + dims.length);
    }
    rows = Pickled.size(dims[0], "scipy CSR rows");
    cols = Pickled.size(dims[1], "scipy CSR columns");
    indptr = array(d, "indptr").toIntArray("scipy CSR indptr");
    indices = array(d, "indices").toIntArray("scipy CSR indices");
    data = array(d, "data").toFloatArray("scipy CSR data");
    check();
  }

  private static NdArray array(Map<?, ?> d, String key) {
    if (d.get(key) instanceof NdArray a) {
      return a;
    }
    throw new PickleException("scipy CSR: '" + key + "' should be a numpy array, got "
        + Pickled.describe(d.get(key)));
  }

  private void check() {
    if (indptr.length != rows + 1) {
      throw new PickleException("scipy CSR: indptr has " + indptr.length + " entries for " + rows + " rows");
    }
    if (indices.length != data.length) {
      throw new PickleException("scipy CSR: " + indices.length + " indices but " + data.length + " values");
    }
    if (indptr[0] != 0 || indptr[rows] > indices.length) {
      throw new PickleException("scipy CSR: indptr runs from " + indptr[0] + " to " + indptr[rows]
          + " over " + indices.length + " stored values");
    }
    for (int r = 0; r < rows; r++) {
      if (indptr[r + 1] < indptr[r]) {
        throw new PickleException("scipy CSR: indptr decreases at row " + r);
      }
    }
    for (int k = 0; k < indptr[rows]; k++) {
      if (indices[k] < 0 || indices[k] >= cols) {
        throw new PickleException("scipy CSR: column index " + indices[k] + " outside 0.." + (cols - 1));
      }
    }
  }

  boolean built() {
    return rows >= 0;
  }

  private void requireBuilt() {
    if (!built()) {
      throw new PickleException("scipy CSR matrix without state");
    }
  }

  @Override
  public int rows() {
    requireBuilt();
    return rows;
  }

  @Override
  public int cols() {
    requireBuilt();
    return cols;
  }

  @Override
  public void readRow(int r, float[] dst) {
    Arrays.fill(dst, 0f);
    for (int k = indptr[r]; k < indptr[r + 1]; k++) {
      dst[indices[k]] += data[k];
    }
  }
}
