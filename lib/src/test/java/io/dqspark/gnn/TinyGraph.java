package io.dqspark.gnn;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A 10-node, 30-edge random graph for layer tests: node 9 is isolated, node 8 has out-edges but no
 * in-edges, and the edge list holds one repeated edge and one self-loop (which the layer drops
 * and re-adds once).
 */
final class TinyGraph {
  static final int N = 10;
  static final int F = 4;

  final float[][] features = new float[N][F];
  final int[] src;
  final int[] dst;
  final double[] maskProb = new double[N];

  TinyGraph(long seed) {
    Random r = new Random(seed);
    for (float[] row : features) {
      for (int j = 0; j < F; j++) {
        row[j] = (float) r.nextGaussian();
      }
    }
    List<int[]> edges = new ArrayList<>();
    while (edges.size() < 27) {
      int s = r.nextInt(9);
      int d = r.nextInt(8); // never into 8 (no in-edges) or 9 (isolated)
      if (s != d) {
        edges.add(new int[] {s, d});
      }
    }
    edges.add(new int[] {8, 0});
    edges.add(edges.get(3).clone()); // a repeated edge counts twice
    edges.add(new int[] {2, 2});     // a self-loop in the input
    src = edges.stream().mapToInt(e -> e[0]).toArray();
    dst = edges.stream().mapToInt(e -> e[1]).toArray();
    for (int i = 0; i < N; i++) {
      maskProb[i] = 0.1 * (i % 4);
    }
  }

  INDArray[] inputs(DataType type) {
    return GraphInputs.of(features, src, dst, maskProb, 7, type);
  }

  /**
   * Dense reference {@code Â X W + b} in plain double loops: {@code A[d][s]} counts non-self-loop
   * edges s -> d, plus one self-loop per node; {@code deg[d]} is the row sum of {@code A + I}.
   */
  static double[][] denseGcn(double[][] x, double[][] w, double[] b, int[] src, int[] dst) {
    int n = x.length;
    double[][] a = new double[n][n];
    for (int e = 0; e < src.length; e++) {
      if (src[e] != dst[e]) {
        a[dst[e]][src[e]] += 1;
      }
    }
    for (int v = 0; v < n; v++) {
      a[v][v] += 1;
    }
    double[] deg = new double[n];
    for (int d = 0; d < n; d++) {
      for (int s = 0; s < n; s++) {
        deg[d] += a[d][s];
      }
    }
    int h = b.length;
    double[][] xw = new double[n][h];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < h; k++) {
        for (int j = 0; j < w.length; j++) {
          xw[i][k] += x[i][j] * w[j][k];
        }
      }
    }
    double[][] out = new double[n][h];
    for (int d = 0; d < n; d++) {
      for (int k = 0; k < h; k++) {
        double sum = b[k];
        for (int s = 0; s < n; s++) {
          if (a[d][s] != 0) {
            sum += a[d][s] / Math.sqrt(deg[s] * deg[d]) * xw[s][k];
          }
        }
        out[d][k] = sum;
      }
    }
    return out;
  }
}
