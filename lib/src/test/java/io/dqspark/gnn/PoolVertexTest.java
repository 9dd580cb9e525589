package io.dqspark.gnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Sum and mean pooling by graph position, its backward pass against central differences. */
@ExtendWith(DoublePrecision.class)
class PoolVertexTest {
  private static final LayerWorkspaceMgr NO_WS = LayerWorkspaceMgr.noWorkspaces();
  /** Rows of graphs 1, 0, 1, 0, 3, 1: position 2 has no rows. */
  private static final int[] GRAPH_OF = {1, 0, 1, 0, 3, 1};

  private static PoolVertexImpl pool(PoolVertex.Pooling pooling) {
    return (PoolVertexImpl) new PoolVertex(pooling)
        .instantiate(null, "pool", 0, null, false, DataType.DOUBLE);
  }

  private static INDArray x() {
    return Nd4j.create(new double[][] {{1, 2}, {3, 4}, {5, 6}, {7, 8}, {9, 10}, {-3, 0}});
  }

  @BeforeEach
  void seed() {
    Nd4j.getRandom().setSeed(20240611);
  }

  @Test
  void sumsAndAveragesTheRowsOfEachGraph() {
    PoolVertexImpl sum = pool(PoolVertex.Pooling.SUM);
    sum.setInputs(new INDArray[] {x(), GraphHeads.positions(DataType.DOUBLE, GRAPH_OF)});
    double[][] y = sum.doForward(false, NO_WS).toDoubleMatrix();
    assertArrayEquals(new double[][] {{10, 12}, {3, 8}, {0, 0}, {9, 10}}, y);

    PoolVertexImpl mean = pool(PoolVertex.Pooling.MEAN);
    mean.setInputs(new INDArray[] {x(), GraphHeads.positions(DataType.DOUBLE, GRAPH_OF)});
    y = mean.doForward(true, NO_WS).toDoubleMatrix();
    assertArrayEquals(new double[][] {{5, 6}, {1, 8.0 / 3}, {0, 0}, {9, 10}}, y);
  }

  @Test
  void backwardMatchesCentralDifferencesAndGivesNodeGraphZeros() {
    for (PoolVertex.Pooling pooling : PoolVertex.Pooling.values()) {
      PoolVertexImpl v = pool(pooling);
      INDArray x = Nd4j.rand(DataType.DOUBLE, GRAPH_OF.length, 3).subi(0.5);
      INDArray nodeGraph = GraphHeads.positions(DataType.DOUBLE, GRAPH_OF);
      INDArray r = Nd4j.rand(DataType.DOUBLE, 4, 3).subi(0.5);
      v.setInputs(new INDArray[] {x, nodeGraph});
      v.doForward(true, NO_WS);
      v.setEpsilon(r);
      Pair<Gradient, INDArray[]> back = v.doBackward(false, NO_WS);
      assertNull(back.getFirst(), "no parameters, no gradient");
      INDArray[] eps = back.getSecond();
      assertEquals(2, eps.length);
      assertArrayEquals(nodeGraph.shape(), eps[1].shape());
      assertEquals(0.0, eps[1].sumNumber().doubleValue(), "nodeGraph epsilon");
      double h = 1e-6;
      for (long i = 0; i < x.length(); i++) {
        double orig = x.getDouble(i);
        x.putScalar(i, orig + h);
        double plus = loss(v, x, nodeGraph, r);
        x.putScalar(i, orig - h);
        double minus = loss(v, x, nodeGraph, r);
        x.putScalar(i, orig);
        double numeric = (plus - minus) / (2 * h);
        assertEquals(numeric, eps[0].getDouble(i), 1e-8, pooling + " input " + i);
      }
    }
  }

  private static double loss(PoolVertexImpl v, INDArray x, INDArray nodeGraph, INDArray r) {
    v.setInputs(new INDArray[] {x, nodeGraph});
    return v.doForward(true, NO_WS).mul(r).sumNumber().doubleValue();
  }

  @Test
  void badNodeGraphIsNamed() {
    PoolVertexImpl v = pool(PoolVertex.Pooling.MEAN);
    INDArray fractional = Nd4j.create(new double[] {0, 0, 1.5, 1, 1, 1}, new long[] {6, 1}, DataType.DOUBLE);
    v.setInputs(new INDArray[] {x(), fractional});
    Exception e = assertThrows(IllegalArgumentException.class, () -> v.doForward(false, NO_WS));
    assertTrue(e.getMessage().contains("nodeGraph row 2 is 1.5"), e.getMessage());
    v.setInputs(new INDArray[] {x(), GraphHeads.positions(DataType.DOUBLE, 0, 1, 2)});
    e = assertThrows(IllegalArgumentException.class, () -> v.doForward(false, NO_WS));
    assertTrue(e.getMessage().contains("expects nodeGraph [6, 1]"), e.getMessage());
  }

  @Test
  void configurationIsABean() {
    PoolVertex v = new PoolVertex(PoolVertex.Pooling.SUM);
    assertEquals(v, v.clone());
    assertEquals(v.hashCode(), v.clone().hashCode());
    assertTrue(!v.equals(new PoolVertex()), "MEAN by default");
    assertEquals(PoolVertex.Pooling.MEAN, new PoolVertex().getPooling());
    assertEquals(0, v.numParams(true));
    assertEquals(2, v.minVertexInputs());
    assertEquals(2, v.maxVertexInputs());
  }
}
