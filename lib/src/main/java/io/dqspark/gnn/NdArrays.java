package io.dqspark.gnn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Copies between INDArrays and the row-major {@code double[]} the flat loops work on. */
final class NdArrays {
  private NdArrays() {}

  /** The elements of {@code a} in row-major order, as a new array. */
  static double[] toDouble(INDArray a) {
    boolean plain = a.ordering() == 'c' && !a.isView() && a.offset() == 0
        && a.data().length() == a.length();
    return (plain ? a : a.dup('c')).data().asDouble();
  }

  /** A new {@code c}-ordered array of {@code type} holding {@code values}. */
  static INDArray fromDouble(double[] values, DataType type, long... shape) {
    return Nd4j.create(values, shape, type);
  }
}
