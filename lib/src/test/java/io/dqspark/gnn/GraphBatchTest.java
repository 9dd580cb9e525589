package io.dqspark.gnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dqspark.graph.CleaningCounts;
import io.dqspark.graph.EdgeTable;
import io.dqspark.graph.GraphDataset;
import io.dqspark.graph.GraphLevel;
import io.dqspark.graph.GraphTable;
import io.dqspark.graph.Split;
import io.dqspark.graph.VertexTable;
import io.dqspark.stats.DegreeStats;
import io.dqspark.stats.ProtectionRule;
import io.dqspark.util.DqInputException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;

/** Packing MUTAG graphs block-diagonally, the mini-batch split, and the errors on bad data. */
class GraphBatchTest {
  private static final int[] GRAPHS = {5, 0, 187, 17};

  @Test
  void packsMutagGraphsBlockDiagonally() {
    GraphDataset mutag = Mutag.load();
    GraphBatch batch = GraphBatch.of(mutag, null);
    assertEquals(188, batch.numGraphs());
    assertEquals(17, batch.numNodes(0), "graph 1 of the file has 17 nodes");
    INDArray[] in = batch.inputs(GRAPHS, DataType.FLOAT);
    assertEquals(GraphInputs.GRAPH_LEVEL_COUNT, in.length);

    int n = Arrays.stream(GRAPHS).map(batch::numNodes).sum();
    int e = Arrays.stream(GRAPHS).map(batch::numEdges).sum();
    assertArrayEquals(new long[] {1, 3}, in[GraphInputs.HEADER].shape());
    assertEquals(n, in[GraphInputs.HEADER].getDouble(0));
    assertEquals(e, in[GraphInputs.HEADER].getDouble(1));
    assertEquals(GraphBatch.batchKey(GRAPHS), (long) in[GraphInputs.HEADER].getDouble(2));
    assertArrayEquals(new long[] {n, 7}, in[GraphInputs.FEATURES].shape());
    assertArrayEquals(new long[] {n, 1}, in[GraphInputs.MASK_PROB].shape());
    assertEquals(0.0, in[GraphInputs.MASK_PROB].sumNumber().doubleValue(),
        "null maskProb: nothing protected");
    assertArrayEquals(new long[] {e, 2}, in[GraphInputs.EDGES].shape());
    assertArrayEquals(new long[] {n, 1}, in[GraphInputs.NODE_GRAPH].shape());

    // node rows: each graph's vertex rows in order, offset by the nodes of the graphs before it
    double[][] x = in[GraphInputs.FEATURES].castTo(DataType.DOUBLE).toDoubleMatrix();
    double[] nodeGraph = in[GraphInputs.NODE_GRAPH].castTo(DataType.DOUBLE).toDoubleVector();
    int[] offset = new int[GRAPHS.length + 1];
    for (int position = 0; position < GRAPHS.length; position++) {
      int g = GRAPHS[position];
      offset[position + 1] = offset[position] + batch.numNodes(g);
      int[] rows = batch.nodeRows(g);
      for (int i = 0; i < rows.length; i++) {
        int node = offset[position] + i;
        assertEquals(position, nodeGraph[node], "nodeGraph of node " + node);
        assertEquals(g, mutag.vertices().graphId(rows[i]), "row " + rows[i] + " belongs to graph " + g);
        float[] want = mutag.vertices().features(rows[i]);
        for (int j = 0; j < want.length; j++) {
          assertEquals(want[j], x[node][j], "features of node " + node);
        }
      }
    }
    assertEquals(n, offset[GRAPHS.length]);

    // edges: no edge crosses graphs, and each graph's edges are its own, offset
    double[][] edges = in[GraphInputs.EDGES].castTo(DataType.DOUBLE).toDoubleMatrix();
    int[] perGraph = new int[GRAPHS.length];
    for (double[] edge : edges) {
      int s = (int) edge[0];
      int d = (int) edge[1];
      int position = (int) nodeGraph[s];
      assertEquals(position, (int) nodeGraph[d], "edge " + s + " -> " + d + " crosses graphs");
      perGraph[position]++;
      int g = GRAPHS[position];
      long srcId = mutag.vertices().id(batch.nodeRows(g)[s - offset[position]]);
      long dstId = mutag.vertices().id(batch.nodeRows(g)[d - offset[position]]);
      assertTrue(hasEdge(mutag, srcId, dstId), "edge " + srcId + " -> " + dstId + " is in the dataset");
    }
    for (int position = 0; position < GRAPHS.length; position++) {
      assertEquals(batch.numEdges(GRAPHS[position]), perGraph[position], "edges of position " + position);
    }
  }

  @Test
  void labelsAreOneHotInBatchOrder() {
    GraphDataset mutag = Mutag.load();
    GraphBatch batch = GraphBatch.of(mutag, null);
    MultiDataSet example = batch.example(GRAPHS, DataType.FLOAT);
    INDArray labels = example.getLabels(0);
    assertArrayEquals(new long[] {GRAPHS.length, 2}, labels.shape());
    for (int position = 0; position < GRAPHS.length; position++) {
      int label = mutag.graphs().label(GRAPHS[position]);
      assertEquals(1.0, labels.getDouble(position, label));
      assertEquals(0.0, labels.getDouble(position, 1 - label));
    }
    assertEquals(null, example.getLabelsMaskArrays(), "no label mask");
    assertEquals(GraphInputs.GRAPH_LEVEL_COUNT, example.getFeatures().length);
  }

  @Test
  void maskProbFollowsTheVertexRows() {
    GraphDataset mutag = Mutag.load();
    double[] p = DegreeStats.compute(mutag, new ProtectionRule(0.1, 0.2), true).maskProb();
    GraphBatch batch = GraphBatch.of(mutag, p);
    INDArray prob = batch.inputs(GRAPHS, DataType.DOUBLE)[GraphInputs.MASK_PROB];
    int node = 0;
    for (int g : GRAPHS) {
      for (int r : batch.nodeRows(g)) {
        assertEquals(p[r], prob.getDouble(node++, 0), "mask_prob of row " + r);
      }
    }
    assertThrows(IllegalArgumentException.class, () -> GraphBatch.of(mutag, new double[3]));
  }

  @Test
  void miniBatchesShuffleWithTheSeedAndCoverEveryGraphOnce() {
    int[] graphs = IntStream.range(0, 100).map(i -> 3 * i).toArray();
    List<int[]> a = GraphBatch.miniBatches(graphs, 32, new Random(7));
    List<int[]> b = GraphBatch.miniBatches(graphs, 32, new Random(7));
    assertEquals(4, a.size());
    assertArrayEquals(new int[] {32, 32, 32, 4}, a.stream().mapToInt(x -> x.length).toArray());
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(a.get(i), b.get(i), "same seed, same batches");
    }
    int[] all = a.stream().flatMapToInt(Arrays::stream).sorted().toArray();
    assertArrayEquals(graphs, all);
    int[] order = a.stream().flatMapToInt(Arrays::stream).toArray();
    assertNotEquals(Arrays.toString(graphs), Arrays.toString(order), "shuffled");
    List<int[]> c = GraphBatch.miniBatches(graphs, 32, new Random(8));
    assertNotEquals(Arrays.toString(a.get(0)), Arrays.toString(c.get(0)), "another seed");
    assertEquals(0, graphs[0], "input untouched");
    assertThrows(IllegalArgumentException.class, () -> GraphBatch.miniBatches(graphs, 0, new Random(1)));
  }

  @Test
  void badBatchesAndBadGraphsAreNamed() {
    GraphBatch mutag = GraphBatch.of(Mutag.load(), null);
    assertMessage(assertThrows(IllegalArgumentException.class,
        () -> mutag.inputs(new int[] {1, 188}, DataType.FLOAT)), "graph index 188 out of range");
    assertMessage(assertThrows(IllegalArgumentException.class,
        () -> mutag.inputs(new int[] {4, 4}, DataType.FLOAT)), "graph index 4 appears twice");
    assertThrows(IllegalArgumentException.class, () -> mutag.inputs(new int[0], DataType.FLOAT));

    // three graphs: 0 has two nodes, 1 has none, 2 has one node and label 2 (out of range)
    GraphBatch toy = GraphBatch.of(toy(new float[][] {{1, 0}, {0, 1}, {1, 1}}), null);
    assertEquals(0, toy.numNodes(1));
    assertMessage(assertThrows(DqInputException.class, () -> toy.inputs(new int[] {0, 1}, DataType.FLOAT)),
        "graph index 1 (graph_id 11) has no nodes");
    assertMessage(assertThrows(DqInputException.class, () -> toy.labels(new int[] {0, 2}, DataType.FLOAT)),
        "graph index 2 (graph_id 12) has label 2, expected 0..1");
    assertEquals(3, toy.inputs(new int[] {2, 0}, DataType.FLOAT)[GraphInputs.FEATURES].size(0));

    // a feature row of another width, as a mutable features array allows after loading
    GraphDataset widths = toy(new float[][] {{1, 0}, {0, 1}, {1, 1}});
    widths.vertices().features()[2] = new float[] {1, 1, 1};
    assertMessage(assertThrows(DqInputException.class,
        () -> GraphBatch.of(widths, null).inputs(new int[] {2}, DataType.FLOAT)),
        "graph index 2, vertex 102 has 3 features, the dataset has 2");
  }

  @Test
  void edgesAcrossGraphsAreRejected() {
    GraphDataset d = toy(new float[][] {{1, 0}, {0, 1}, {1, 1}});
    EdgeTable crossing = new EdgeTable(new long[] {10}, new long[] {100}, new long[] {102});
    GraphDataset bad = new GraphDataset("toy", GraphLevel.GRAPH, 2, d.vertices(), crossing, d.graphs(),
        CleaningCounts.NONE);
    assertMessage(assertThrows(DqInputException.class, () -> GraphBatch.of(bad, null)),
        "edge 0 (100 -> 102) joins graph index 0 and graph index 2");
  }

  /** Graph ids 10, 11, 12 with labels 0, 1, 2; vertices 100, 101 in graph 10, 102 in graph 12. */
  private static GraphDataset toy(float[][] features) {
    VertexTable v = new VertexTable(new long[] {10, 10, 12}, new long[] {100, 101, 102}, features,
        new int[] {VertexTable.NO_LABEL, VertexTable.NO_LABEL, VertexTable.NO_LABEL}, new Split[3]);
    EdgeTable e = new EdgeTable(new long[] {10, 10}, new long[] {100, 101}, new long[] {101, 100});
    GraphTable g = new GraphTable(new long[] {10, 11, 12}, new int[] {0, 1, 2}, new Split[3]);
    return new GraphDataset("toy", GraphLevel.GRAPH, 2, v, e, g, CleaningCounts.NONE);
  }

  private static boolean hasEdge(GraphDataset d, long src, long dst) {
    EdgeTable e = d.edges();
    for (int k = 0; k < e.size(); k++) {
      if (e.src(k) == src && e.dst(k) == dst) {
        return true;
      }
    }
    return false;
  }

  private static void assertMessage(Exception e, String part) {
    assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' lacks '" + part + "'");
  }
}
