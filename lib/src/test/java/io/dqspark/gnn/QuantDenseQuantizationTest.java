package io.dqspark.gnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dqspark.quant.FakeQuantizer;
import io.dqspark.quant.QuantParams;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;

/** Quantized dense forward passes: the grids, a fake-quantized reference, dropout, and the state. */
class QuantDenseQuantizationTest {
  private static final int F = 6;
  private static final int OUT = 5;

  @TempDir Path tmp;

  @BeforeEach
  void seed() {
    Nd4j.getRandom().setSeed(20240611);
  }

  @Test
  void evalOutputsLieOnTheOutputGrid() {
    for (QuantMode mode : new QuantMode[] {QuantMode.QAT, QuantMode.DQ}) {
      for (int bits : new int[] {8, 4}) {
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
          for (boolean relu : new boolean[] {true, false}) {
            String what = mode + " int" + bits + " " + type + " relu=" + relu;
            GraphHeads.Dense v = new GraphHeads.Dense(new QuantDenseVertex(F, OUT, relu, 0, new NoOp())
                .quantization(mode, bits), type);
            INDArray x = Nd4j.rand(type, 12, F).subi(0.4);
            for (int step = 0; step < 3; step++) {
              v.trainStep(x);
            }
            assertEquals(3.0, v.param(QuantDenseVertexImpl.STATE_KEY).getDouble(0), what + ": step counter");
            for (DensePoint p : DensePoint.values()) {
              assertTrue(v.vertex.quantPoint(p).initialised(), what + ": " + p + " has a range");
            }
            INDArray y = v.forward(x, false);
            QuantParams out = v.vertex.quantPoint(DensePoint.OUTPUT).params();
            assertTrue(out.signed(), what + ": the output quantizer sits before the activation");
            QuantGrid.assertOnGrid(out, NdArrays.toDouble(y), what);
            assertTrue(y.amaxNumber().doubleValue() > 0, what + ": not all zero");
          }
        }
      }
    }
  }

  /** In evaluation: {@code Y = relu(Q_out(Q_in(X) Q_w(W) + b))} with the trained ranges. */
  @Test
  void evalMatchesAFakeQuantizedReference() {
    for (QuantMode mode : new QuantMode[] {QuantMode.QAT, QuantMode.DQ}) {
      QuantDenseVertex conf = new QuantDenseVertex(F, OUT, true, 0, new NoOp()).quantization(mode, 4);
      conf.setSignedInput(false);
      GraphHeads.Dense v = new GraphHeads.Dense(conf, DataType.DOUBLE);
      INDArray x = Nd4j.rand(DataType.DOUBLE, 9, F);
      for (int step = 0; step < 2; step++) {
        v.trainStep(x);
      }
      assertFalse(v.vertex.quantPoint(DensePoint.INPUT).params().signed(), "unsigned input");
      double[][] got = Vertices.rows(v.forward(x, false));
      double[][] xq = fq(v, DensePoint.INPUT, Vertices.rows(x));
      double[][] wq = fq(v, DensePoint.WEIGHT, Vertices.rows(v.param(QuantDenseVertexImpl.WEIGHT_KEY)));
      double[] b = Vertices.rows(v.param(QuantDenseVertexImpl.BIAS_KEY))[0];
      double[][] z = new double[xq.length][OUT];
      for (int i = 0; i < xq.length; i++) {
        for (int k = 0; k < OUT; k++) {
          for (int j = 0; j < F; j++) {
            z[i][k] += xq[i][j] * wq[j][k];
          }
          z[i][k] += b[k];
        }
      }
      fq(v, DensePoint.OUTPUT, z);
      for (int i = 0; i < z.length; i++) {
        for (int k = 0; k < OUT; k++) {
          assertEquals(Math.max(0, z[i][k]), got[i][k], 1e-9, mode + " row " + i + " col " + k);
        }
      }
    }
  }

  @Test
  void evaluationBeforeAnyRangeIsAnError() {
    GraphHeads.Dense v = new GraphHeads.Dense(new QuantDenseVertex(F, OUT, false, 0, new NoOp())
        .quantization(QuantMode.DQ, 8), DataType.FLOAT);
    assertThrows(IllegalStateException.class, () -> v.forward(Nd4j.rand(DataType.FLOAT, 3, F), false));
  }

  @Test
  void dropoutScalesKeptInputsAndMasksTheirGradient() {
    GraphHeads.Dense v = new GraphHeads.Dense(new QuantDenseVertex(20, 4, false, 0.5, new NoOp()),
        DataType.DOUBLE);
    INDArray x = Nd4j.rand(DataType.DOUBLE, 50, 20).addi(0.5);
    INDArray eval = v.forward(x, false);
    assertEquals(eval, v.forward(x, false), "no dropout in evaluation");
    INDArray train = v.forward(x, true);
    assertFalse(eval.equalsWithEps(train, 1e-6), "dropout in training");
    INDArray r = Nd4j.rand(DataType.DOUBLE, 50, 4).subi(0.5);
    INDArray gx = v.backward(r);
    INDArray full = r.mmul(v.param(QuantDenseVertexImpl.WEIGHT_KEY).transpose());
    int dropped = 0;
    for (long i = 0; i < gx.length(); i++) {
      double g = gx.getDouble(i);
      if (g == 0) {
        dropped++;
      } else {
        assertEquals(2 * full.getDouble(i), g, 1e-12, "kept input " + i + " scaled by 1 / (1 - p)");
      }
    }
    assertTrue(dropped > 350 && dropped < 650, dropped + " of 1000 inputs dropped");
  }

  /** The ranges and step counter live in the parameters: DL4J's fit stores them, a checkpoint keeps them. */
  @Test
  void stateIsSavedInTheParametersAndRestoredFromACheckpoint() throws IOException {
    ComputationGraph net = new ComputationGraph(GraphHeads.poolNet(F, 8, 3, PoolVertex.Pooling.MEAN,
        new Adam(0.01), QuantMode.DQ, 8, false, DataType.FLOAT));
    net.init();
    int[] graphOf = {0, 0, 1, 1, 1, 2, 3, 3};
    INDArray x = Nd4j.rand(DataType.FLOAT, graphOf.length, F).subi(0.5);
    INDArray[] inputs = {x, GraphHeads.positions(DataType.FLOAT, graphOf)};
    INDArray labels = Nd4j.zeros(DataType.FLOAT, 4, 3);
    Random r = new Random(2);
    for (int g = 0; g < 4; g++) {
      labels.putScalar(g, r.nextInt(3), 1.0);
    }
    MultiDataSet example = new MultiDataSet(inputs, new INDArray[] {labels});
    for (int step = 0; step < 3; step++) {
      net.fit(example);
    }
    for (String vertex : new String[] {"dense1", "dense2"}) {
      INDArray q = net.paramTable().get(vertex + "_" + QuantDenseVertexImpl.STATE_KEY);
      assertEquals(QuantDenseVertexImpl.STATE_LENGTH, q.length());
      assertEquals(3.0, q.getDouble(0), vertex + " step counter");
      for (DensePoint p : DensePoint.values()) {
        int at = 1 + 3 * p.ordinal();
        assertEquals(3.0, q.getDouble(at), vertex + " " + p + " batches");
        assertTrue(q.getDouble(at + 1) <= 0 && q.getDouble(at + 2) > 0, vertex + " " + p + " range");
      }
    }
    INDArray before = net.output(false, inputs)[0];

    File file = tmp.resolve("pool-net.zip").toFile();
    ModelSerializer.writeModel(net, file, true);
    ComputationGraph restored = ModelSerializer.restoreComputationGraph(file, true);
    assertEquals(net.getConfiguration(), restored.getConfiguration());
    assertEquals(net.params(), restored.params());
    assertArrayEquals(NdArrays.toDouble(before), NdArrays.toDouble(restored.output(false, inputs)[0]),
        "the restored ranges quantize the same way");
    restored.fit(example);
    assertEquals(4.0, restored.paramTable().get("dense1_" + QuantDenseVertexImpl.STATE_KEY).getDouble(0),
        "training continues from the restored state");
  }

  /** Fake-quantizes {@code a} in place with point {@code p}'s current parameters; returns it. */
  private static double[][] fq(GraphHeads.Dense v, DensePoint p, double[][] a) {
    QuantParams params = v.vertex.quantPoint(p).params();
    for (double[] row : a) {
      for (int k = 0; k < row.length; k++) {
        row[k] = FakeQuantizer.fakeQuantize(params, (float) row[k]);
      }
    }
    return a;
  }
}
