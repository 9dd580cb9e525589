package io.dqspark.export;

import io.dqspark.quant.FakeQuantizer;
import io.dqspark.quant.QuantParams;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Reading a trained network's parameters out, as every exporter does. */
final class ExportArrays {
  private ExportArrays() {}

  /** Row-major float values of a parameter view (whatever its data type). */
  static float[] floats(INDArray a) {
    return a.castTo(DataType.FLOAT).dup('c').reshape(a.length()).toFloatVector();
  }

  /** The codes the fake-quant forward rounds {@code x} to with {@code p}: the weights' export. */
  static byte[] codes(QuantParams p, float[] x) {
    byte[] codes = new byte[x.length];
    for (int i = 0; i < x.length; i++) {
      codes[i] = (byte) FakeQuantizer.quantize(p, x[i]);
    }
    return codes;
  }
}
