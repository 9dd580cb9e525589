package io.dqspark.gnn;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * GAT test helpers: a small network of two GAT vertices, and a dense double-loop reference that
 * builds each head's attention matrix explicitly (single vertices: {@link Vertices}).
 */
final class GatVertices {
  private GatVertices() {}

  /** One GAT vertex's settings, fluently (the public API has bean setters only). */
  static GatVertex gat(int nIn, int outPerHead, int heads, boolean concat,
      GatVertex.Activation activation, IUpdater updater) {
    GatVertex v = new GatVertex(nIn, outPerHead, heads, concat, updater);
    v.setActivation(activation);
    return v;
  }

  /**
   * gat1 and gat2 in a row (gat2's input unsigned after a ReLU) and a softmax OutputLayer on
   * gat2's output, with the same mode, width, pass-through and mask seed on both vertices.
   */
  static ComputationGraphConfiguration twoLayerNet(GatVertex gat1, GatVertex gat2, int classes,
      IUpdater updater, QuantMode mode, int bits, boolean passThrough, DataType type) {
    gat2.setSignedInput(gat1.getActivation() != GatVertex.Activation.RELU);
    for (GatVertex v : new GatVertex[] {gat1, gat2}) {
      v.quantization(mode, bits);
      v.setPassThrough(passThrough);
      v.setMaskSeed(5);
    }
    GraphBuilder b = GraphNetworks.builder(12345, type, updater, GraphInputs.NAMES);
    GraphNetworks.addGraphLayer(b, "gat1", gat1, GraphNetworks.features());
    GraphNetworks.addGraphLayer(b, "gat2", gat2, "gat1");
    return b
        .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
            .nIn(gat2.outputWidth()).nOut(classes).activation(Activation.SOFTMAX).build(), "gat2")
        .setOutputs("out")
        .build();
  }

  /**
   * Edge multiplicities {@code c[d][s]} of the layer's graph: the input's edges without
   * self-loops, counted as often as they occur, plus one self-loop per node.
   */
  static double[][] counts(int n, int[] src, int[] dst) {
    double[][] c = new double[n][n];
    for (int e = 0; e < src.length; e++) {
      if (src[e] != dst[e]) {
        c[dst[e]][src[e]] += 1;
      }
    }
    for (int v = 0; v < n; v++) {
      c[v][v] += 1;
    }
    return c;
  }

  /** {@code x w} in plain loops. */
  static double[][] product(double[][] x, double[][] w) {
    double[][] out = new double[x.length][w[0].length];
    for (int i = 0; i < x.length; i++) {
      for (int k = 0; k < w[0].length; k++) {
        for (int j = 0; j < w.length; j++) {
          out[i][k] += x[i][j] * w[j][k];
        }
      }
    }
    return out;
  }

  /**
   * The attention matrices {@code alpha[h][d][s]} for {@code z = X W}: the softmax over
   * neighbours {@code s} of {@code d}, weighted by the edge count, of {@code LeakyReLU(z_s · aSrc_h
   * + z_d · aDst_h)}. A pair joined by c edges gets c times the weight of one of them.
   */
  static double[][][] attention(double[][] z, double[][] aSrc, double[][] aDst, double[][] c) {
    int n = z.length;
    int heads = aSrc.length;
    int f = aSrc[0].length;
    double[][][] alpha = new double[heads][n][n];
    for (int h = 0; h < heads; h++) {
      for (int d = 0; d < n; d++) {
        double total = 0;
        for (int s = 0; s < n; s++) {
          if (c[d][s] == 0) {
            continue;
          }
          double logit = 0;
          for (int k = 0; k < f; k++) {
            logit += z[s][h * f + k] * aSrc[h][k] + z[d][h * f + k] * aDst[h][k];
          }
          double l = logit > 0 ? logit : 0.2 * logit;
          alpha[h][d][s] = c[d][s] * Math.exp(l);
          total += alpha[h][d][s];
        }
        for (int s = 0; s < n; s++) {
          alpha[h][d][s] /= total;
        }
      }
    }
    return alpha;
  }

  /** The layer's output from dense attention matrices: heads concatenated or averaged, bias, activation. */
  static double[][] dense(double[][] x, double[][] w, double[][] aSrc, double[][] aDst, double[] b,
      boolean concat, GatVertex.Activation activation, int[] src, int[] dst) {
    int n = x.length;
    int heads = aSrc.length;
    int f = aSrc[0].length;
    double[][] z = product(x, w);
    double[][][] alpha = attention(z, aSrc, aDst, counts(n, src, dst));
    double[][] out = new double[n][b.length];
    for (int d = 0; d < n; d++) {
      for (int h = 0; h < heads; h++) {
        for (int k = 0; k < f; k++) {
          double sum = 0;
          for (int s = 0; s < n; s++) {
            sum += alpha[h][d][s] * z[s][h * f + k];
          }
          if (concat) {
            out[d][h * f + k] = sum;
          } else {
            out[d][k] += sum / heads;
          }
        }
      }
      for (int k = 0; k < b.length; k++) {
        double o = out[d][k] + b[k];
        switch (activation) {
          case RELU: o = Math.max(0, o); break;
          case ELU: o = o > 0 ? o : Math.exp(o) - 1; break;
          default: break;
        }
        out[d][k] = o;
      }
    }
    return out;
  }
}
