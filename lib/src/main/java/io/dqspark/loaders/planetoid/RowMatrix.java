package io.dqspark.loaders.planetoid;

import io.dqspark.util.DqInputException;

/**
 * A 2-D matrix read row by row into a dense float buffer, whether it was pickled as a scipy CSR
 * matrix (features) or a dense numpy array (one-hot labels). PyG densifies both with
 * {@code todense()} / {@code torch.Tensor}; reading rows keeps that without a second dense copy.
 */
public interface RowMatrix {
  int rows();

  int cols();

  /** Overwrites {@code dst[0..cols)} with row {@code r}. */
  void readRow(int r, float[] dst);

  /**
   * The matrix in an unpickled Planetoid file.
   *
   * @throws DqInputException naming the file when it holds something else
   */
  static RowMatrix of(Object pickled, String file) {
    if (pickled instanceof CsrMatrix m && m.built()) {
      return m;
    }
    if (pickled instanceof NdArray a && a.built() && a.ndim() == 2) {
      return new DenseRows(a);
    }
    String got = pickled instanceof NdArray a && a.built() ? "a " + a.ndim() + "-D numpy array"
        : pickled instanceof PickleState ? "a " + PickleReader.pythonName(pickled) + " without its state"
        : Pickled.describe(pickled);
    throw new DqInputException(file + ": expected a scipy CSR matrix or a 2-D numpy array, got " + got);
  }

  /** A dense 2-D numpy array seen as rows. */
  final class DenseRows implements RowMatrix {
    private final NdArray array;

    DenseRows(NdArray array) {
      this.array = array;
    }

    @Override public int rows() { return array.dim(0); }
    @Override public int cols() { return array.dim(1); }

    @Override
    public void readRow(int r, float[] dst) {
      for (int c = 0; c < dst.length; c++) {
        dst[c] = (float) array.get(r, c);
      }
    }
  }
}
