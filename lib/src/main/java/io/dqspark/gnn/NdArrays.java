package io.dqspark.gnn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Copies between INDArrays and the row-major {@code double[]} the flat loops work on. Float
 * arrays are widened and narrowed here in plain loops: ND4J's own mixed-type copies go element by
 * element through an indexer (14 of 40 stack samples of a GAT training run on Cora sat there).
 */
final class NdArrays {
  private NdArrays() {}

  /** The elements of {@code a} in row-major order, as a new array. */
  static double[] toDouble(INDArray a) {
    boolean plain = a.ordering() == 'c' && !a.isView() && a.offset() == 0
        && a.data().length() == a.length();
    INDArray c = plain ? a : a.dup('c');
    if (c.dataType() == DataType.FLOAT) {
      float[] f = c.data().asFloat();
      double[] d = new double[f.length];
      for (int i = 0; i < f.length; i++) {
        d[i] = f[i];
      }
      return d;
    }
    return c.data().asDouble();
  }

  /** A new {@code c}-ordered array of {@code type} holding {@code values}, with no double copy for FLOAT. */
  static INDArray fromFloat(float[] values, DataType type, long... shape) {
    if (type == DataType.FLOAT) {
      return Nd4j.create(values, shape, 'c');
    }
    double[] d = new double[values.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = values[i];
    }
    return fromDouble(d, type, shape);
  }

  /** A new {@code c}-ordered array of {@code type} holding {@code values}. */
  static INDArray fromDouble(double[] values, DataType type, long... shape) {
    if (type == DataType.FLOAT) {
      float[] f = new float[values.length];
      for (int i = 0; i < f.length; i++) {
        f[i] = (float) values[i];
      }
      return Nd4j.create(f, shape, 'c');
    }
    if (type == DataType.DOUBLE) {
      return Nd4j.create(values, shape, 'c');
    }
    return Nd4j.create(values, shape, type);
  }
}
