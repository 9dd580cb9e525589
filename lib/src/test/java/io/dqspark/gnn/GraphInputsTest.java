package io.dqspark.gnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dqspark.graph.CleaningCounts;
import io.dqspark.graph.EdgeTable;
import io.dqspark.graph.GraphDataset;
import io.dqspark.graph.GraphLevel;
import io.dqspark.graph.Split;
import io.dqspark.graph.VertexTable;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The input convention built from canonical tables: header, id-to-row mapping, labels, masks. */
class GraphInputsTest {
  /** Four nodes with ids 10, 20, 30, 40; edges 10 -> 20, 30 -> 20, 40 -> 10. */
  private static GraphDataset dataset() {
    VertexTable v = new VertexTable(new long[4], new long[] {10, 20, 30, 40},
        new float[][] {{1, 3}, {0, 0}, {2, 2}, {5, 0}}, new int[] {0, 1, VertexTable.NO_LABEL, 1},
        new Split[] {Split.TRAIN, Split.TRAIN, Split.TRAIN, Split.TEST});
    EdgeTable e = new EdgeTable(new long[3], new long[] {10, 30, 40}, new long[] {20, 20, 10});
    return new GraphDataset("tiny", GraphLevel.NODE, 2, v, e, null, CleaningCounts.NONE);
  }

  @Test
  void nodeLevelMapsIdsToRowsAndNormalisesRows() {
    INDArray[] in = GraphInputs.nodeLevel(dataset(), new double[] {0, 0.5, 1, 0}, true, DataType.DOUBLE);
    assertEquals(GraphInputs.COUNT, in.length);
    assertArrayEquals(new double[] {4, 3, 0}, in[GraphInputs.HEADER].toDoubleVector());
    assertArrayEquals(new double[] {0.25, 0.75}, in[GraphInputs.FEATURES].getRow(0).toDoubleVector());
    assertArrayEquals(new double[] {0, 0}, in[GraphInputs.FEATURES].getRow(1).toDoubleVector());
    assertArrayEquals(new double[] {0, 0.5, 1, 0}, NdArrays.toDouble(in[GraphInputs.MASK_PROB]));
    assertArrayEquals(new double[] {0, 1, 2, 1, 3, 0}, NdArrays.toDouble(in[GraphInputs.EDGES]));
  }

  @Test
  void labelsAndBinaryMasks() {
    GraphDataset d = dataset();
    assertArrayEquals(new double[] {1, 0, 0, 1, 0, 0, 0, 1},
        NdArrays.toDouble(GraphInputs.oneHotLabels(d, DataType.FLOAT)));
    assertArrayEquals(new int[] {0, 1}, GraphInputs.rows(d, Split.TRAIN)); // node 30 is unlabelled
    assertArrayEquals(new double[] {1, 1, 0, 0},
        NdArrays.toDouble(GraphInputs.labelMask(d, Split.TRAIN, DataType.FLOAT)));
  }

  @Test
  void rejectsBadProbabilitiesAndEndpoints() {
    assertThrows(RuntimeException.class,
        () -> GraphInputs.nodeLevel(dataset(), new double[] {0, 2, 0, 0}, false, DataType.FLOAT));
    float[][] x = {{1}, {2}};
    assertThrows(IllegalArgumentException.class,
        () -> GraphInputs.of(x, new int[] {0}, new int[] {2}, null, 0, DataType.FLOAT));
  }
}
