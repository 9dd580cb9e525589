package io.dqspark.gnn;

import java.util.Arrays;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runtime of {@link PoolVertex}: {@code Y[g] = sum (or mean) of X[i] over rows i with nodeGraph[i]
 * = g}, and backward {@code dX[i] = dY[nodeGraph[i]]} (divided by the graph's row count for the
 * mean). Flat loops over row-major doubles, computed outside DL4J's workspaces; nothing is kept
 * between forward and backward, since backward re-reads {@code nodeGraph}. The {@code nodeGraph}
 * input gets a zero epsilon (DL4J mis-assigns epsilons after a null one).
 */
public final class PoolVertexImpl extends PlainGraphVertex {
  private final PoolVertex.Pooling pooling;

  PoolVertexImpl(ComputationGraph graph, String name, int index, PoolVertex.Pooling pooling,
      DataType dataType) {
    super(graph, name, index, dataType);
    this.pooling = pooling;
  }

  /** The graph position of every row and each graph's row count. */
  private static final class Assignment {
    final int[] graphOf;
    final int[] rows;

    Assignment(int[] graphOf, int[] rows) {
      this.graphOf = graphOf;
      this.rows = rows;
    }
  }

  @Override
  public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
    if (!canDoForward()) {
      throw new IllegalStateException("vertex '" + vertexName + "': inputs not all set");
    }
    INDArray out;
    try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      INDArray x = inputs[0];
      int f = checkFeatures(x);
      Assignment a = assignment(x.size(0));
      int g = a.rows.length;
      double[] xs = NdArrays.toDouble(x);
      double[] y = new double[g * f];
      for (int i = 0; i < a.graphOf.length; i++) {
        int to = a.graphOf[i] * f;
        int from = i * f;
        for (int k = 0; k < f; k++) {
          y[to + k] += xs[from + k];
        }
      }
      if (pooling == PoolVertex.Pooling.MEAN) {
        for (int j = 0; j < g; j++) {
          double scale = a.rows[j] == 0 ? 0 : 1.0 / a.rows[j];
          for (int k = j * f, end = k + f; k < end; k++) {
            y[k] *= scale;
          }
        }
      }
      out = NdArrays.fromDouble(y, dataType, g, f);
    }
    return workspaceMgr.dup(ArrayType.ACTIVATIONS, out);
  }

  @Override
  public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
    if (!canDoBackward()) {
      throw new IllegalStateException("vertex '" + vertexName + "': inputs or epsilon not set");
    }
    INDArray gx;
    try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      INDArray x = inputs[0];
      int f = checkFeatures(x);
      Assignment a = assignment(x.size(0));
      int g = a.rows.length;
      if (epsilon.rank() != 2 || epsilon.size(0) != g || epsilon.size(1) != f) {
        throw new IllegalArgumentException("vertex '" + vertexName + "': epsilon must be [" + g
            + ", " + f + "], got " + Arrays.toString(epsilon.shape()));
      }
      double[] gy = NdArrays.toDouble(epsilon);
      if (pooling == PoolVertex.Pooling.MEAN) {
        for (int j = 0; j < g; j++) {
          double scale = a.rows[j] == 0 ? 0 : 1.0 / a.rows[j];
          for (int k = j * f, end = k + f; k < end; k++) {
            gy[k] *= scale;
          }
        }
      }
      int n = a.graphOf.length;
      double[] d = new double[n * f];
      for (int i = 0; i < n; i++) {
        System.arraycopy(gy, a.graphOf[i] * f, d, i * f, f);
      }
      gx = NdArrays.fromDouble(d, dataType, n, f);
    }
    INDArray nodeGraph = inputs[1];
    INDArray[] epsilons = {
        workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, gx),
        workspaceMgr.create(ArrayType.ACTIVATION_GRAD, nodeGraph.dataType(), nodeGraph.shape())};
    return new Pair<>(null, epsilons);
  }

  private int checkFeatures(INDArray x) {
    if (inputs.length != 2) {
      throw new IllegalStateException("vertex '" + vertexName + "' needs 2 inputs (features,"
          + " nodeGraph), got " + inputs.length);
    }
    if (x.rank() != 2 || x.size(0) < 1) {
      throw new IllegalArgumentException("vertex '" + vertexName + "' expects features [N, F] with"
          + " N >= 1, got " + Arrays.toString(x.shape()));
    }
    return Math.toIntExact(x.size(1));
  }

  /** Reads {@code nodeGraph}: one whole number {@code >= 0} per feature row. */
  private Assignment assignment(long n) {
    INDArray nodeGraph = inputs[1];
    if (nodeGraph.length() != n || (nodeGraph.rank() == 2 && nodeGraph.size(1) != 1)) {
      throw new IllegalArgumentException("vertex '" + vertexName + "' expects nodeGraph [" + n
          + ", 1], got " + Arrays.toString(nodeGraph.shape()));
    }
    double[] positions = NdArrays.toDouble(nodeGraph);
    int[] graphOf = new int[positions.length];
    int max = -1;
    for (int i = 0; i < positions.length; i++) {
      double p = positions[i];
      if (!(p >= 0 && p < Integer.MAX_VALUE) || p != Math.rint(p)) {
        throw new IllegalArgumentException("vertex '" + vertexName + "': nodeGraph row " + i + " is "
            + p + ", expected a whole number >= 0 (the node's graph position in the batch)");
      }
      graphOf[i] = (int) p;
      max = Math.max(max, graphOf[i]);
    }
    int[] rows = new int[max + 1];
    for (int g : graphOf) {
      rows[g]++;
    }
    return new Assignment(graphOf, rows);
  }

  @Override
  public void setBackpropGradientsViewArray(INDArray backpropGradientsViewArray) {
    if (backpropGradientsViewArray != null && backpropGradientsViewArray.length() > 0) {
      throw new IllegalArgumentException("vertex '" + vertexName + "' has no parameters, got a "
          + "gradient view of " + backpropGradientsViewArray.length());
    }
  }

  @Override
  public String toString() {
    return "PoolVertexImpl(" + vertexName + ": " + pooling + ")";
  }
}
