package io.dqspark.train;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Mean cross-entropy and accuracy of predicted class probabilities on chosen rows. */
public record Scores(double loss, double accuracy) {
  private static final double FLOOR = 1e-12;

  /** @param probabilities {@code [rows, classes]}; @param labels the true class of each chosen row */
  public static Scores of(INDArray probabilities, int[] rows, int[] labels) {
    if (rows.length == 0) {
      throw new IllegalArgumentException("no rows to score");
    }
    float[] p = probabilities.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
    int c = (int) probabilities.size(1);
    double loss = 0;
    int correct = 0;
    for (int i = 0; i < rows.length; i++) {
      int base = rows[i] * c;
      int best = 0;
      for (int k = 1; k < c; k++) {
        if (p[base + k] > p[base + best]) {
          best = k;
        }
      }
      correct += best == labels[i] ? 1 : 0;
      loss -= Math.log(Math.max(FLOOR, p[base + labels[i]]));
    }
    return new Scores(loss / rows.length, (double) correct / rows.length);
  }
}
