package io.dqspark.gnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The state round trip through "old - new" gradients, and the per-step protective mask. */
class QuantStateTest {
  private static final int N = 200;

  private static QuantState state(QuantMode mode, long seed) {
    QuantPoint[] points = {new QuantPoint("a", mode, 8, true, false)};
    return new QuantState(points, mode, seed);
  }

  /** What the optimizer does with the NoOp updater: params -= gradient. */
  private static void step(QuantState s, INDArray params) {
    s.advance();
    INDArray grad = Nd4j.zeros(DataType.FLOAT, params.shape());
    s.writeGradient(grad, DataType.FLOAT);
    params.subi(grad);
  }

  @Test
  void maskIsFreshEachStepReproducibleAndSharedBySeed() {
    INDArray prob = Nd4j.valueArrayOf(new long[] {N, 1}, 0.5, DataType.FLOAT);
    INDArray params = Nd4j.zeros(DataType.FLOAT, QuantState.length(1));
    QuantState layer1 = state(QuantMode.DQ, 5);
    QuantState layer2 = state(QuantMode.DQ, 5);
    layer1.begin(params);
    layer2.begin(params);
    boolean[] first = layer1.protectedNodes(prob, 0, N, true);
    assertArrayEquals(first, layer2.protectedNodes(prob, 0, N, true), "same seed, same step");
    assertArrayEquals(first, layer1.protectedNodes(prob, 0, N, true), "a forward without backward");
    assertFalse(Arrays.equals(first, state(QuantMode.DQ, 6).protectedNodes(prob, 0, N, true)));
    assertFalse(Arrays.equals(first, layer1.protectedNodes(prob, 1, N, true)), "another graph key");

    step(layer1, params);
    assertEquals(1.0, params.getDouble(0));
    layer1.begin(params);
    assertEquals(1, layer1.step());
    assertFalse(Arrays.equals(first, layer1.protectedNodes(prob, 0, N, true)), "the next step");
  }

  @Test
  void onlyDqTrainingProtects() {
    INDArray prob = Nd4j.ones(DataType.FLOAT, N, 1);
    INDArray params = Nd4j.zeros(DataType.FLOAT, QuantState.length(1));
    QuantState dq = state(QuantMode.DQ, 1);
    dq.begin(params);
    assertNull(dq.protectedNodes(prob, 0, N, false));
    QuantState qat = state(QuantMode.QAT, 1);
    qat.begin(params);
    assertNull(qat.protectedNodes(prob, 0, N, true));
  }

  @Test
  void writesZerosWithoutATrainingForwardAndInFp32() {
    INDArray params = Nd4j.zeros(DataType.FLOAT, QuantState.length(1));
    QuantState fp32 = state(QuantMode.FP32, 1);
    fp32.begin(params);
    step(fp32, params);
    assertEquals(0.0, params.sumNumber().doubleValue());
    QuantState dq = state(QuantMode.DQ, 1);
    dq.begin(params);
    INDArray grad = Nd4j.ones(DataType.FLOAT, params.shape());
    dq.writeGradient(grad, DataType.FLOAT);
    assertEquals(0.0, grad.sumNumber().doubleValue());
  }
}
