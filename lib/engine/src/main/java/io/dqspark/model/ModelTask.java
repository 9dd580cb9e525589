package io.dqspark.model;

import io.dqspark.util.DqInputException;

/** What a model predicts: a class per node, or a class per graph (after pooling its nodes). */
public enum ModelTask {
  NODE(1),
  GRAPH(2);

  private final int code;

  ModelTask(int code) {
    this.code = code;
  }

  /** The byte a model file stores. */
  public int code() {
    return code;
  }

  static ModelTask of(int code, String where) {
    for (ModelTask t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    throw new DqInputException(where + " is " + code + ", expected 1 (node) or 2 (graph)");
  }
}
