package io.dqspark.bench;

import io.dqspark.jobs.generate.Rmat;
import java.util.SplittableRandom;

/** An R-MAT graph (Graph500 parameters, 16 edges per node) with uniform [-1, 1] features. */
final class RmatInput {
  final int nodes;
  final int[] src;
  final int[] dst;
  final float[] features;

  RmatInput(int scale, int width, long seed) {
    nodes = 1 << scale;
    src = new int[nodes * 16];
    dst = new int[src.length];
    Rmat r = Rmat.graph500(scale, seed);
    long[] e = new long[2];
    for (int i = 0; i < src.length; i++) {
      r.edge(i, e);
      src[i] = (int) e[0];
      dst[i] = (int) e[1];
    }
    SplittableRandom rnd = new SplittableRandom(seed);
    features = new float[nodes * width];
    for (int i = 0; i < features.length; i++) {
      features[i] = (float) rnd.nextDouble(-1, 1);
    }
  }
}
