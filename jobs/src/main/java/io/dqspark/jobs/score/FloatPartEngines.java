package io.dqspark.jobs.score;

import io.dqspark.model.ClassScores;
import io.dqspark.model.LayerwiseScorer;
import io.dqspark.util.DqInputException;

/**
 * The FP32 engines as {@link PartEngine}s: a model's FP32 network run layer by layer over a part
 * ({@link LayerwiseScorer}, which FloatGcn, FloatGat and FloatGin implement), its rows exchanged as
 * little-endian floats.
 */
final class FloatPartEngines {
  private FloatPartEngines() {}

  /** Float rows in and out of each layer of {@code net}; layer 0 reads only the exchanged rows. */
  static PartEngine of(LayerwiseScorer<float[]> net) {
    return new PartEngine() {
      public int layers() { return net.layerCount(); }
      public int inputWidth(int li) { return net.layerInputWidth(li); }
      public int outputWidth(int li) { return net.layerOutputWidth(li); }
      public int valueBytes() { return Float.BYTES; }
      public byte[] inputRows(float[] features, int nodes) {
        return FloatRows.encode(net.firstLayerInput(features, nodes));
      }
      public boolean firstLayerReadsFeatures() { return net.firstLayerReadsFeatures(); }

      public byte[] layer(int li, byte[] x, float[] features, PartGraph g) {
        return FloatRows.encode(net.layer(li, FloatRows.decode(x), features, g));
      }

      public ClassScores scores(byte[] last, int owned) {
        float[] rows = FloatRows.decode(last, Math.multiplyExact(owned, outputWidth(layers() - 1)));
        return net.nodeScores(rows, owned);
      }
    };
  }

  /** The error for an architecture the FP32 partitioned path does not run (yet). */
  static DqInputException unsupported(ModelRef ref) {
    return new DqInputException("--engine fp32 scores node-level GCN, GAT and GIN models; " + ref
        + " is a " + ref.task() + "-level " + ref.arch() + " model, which only the int8 engine scores"
        + " (use --engine int8)");
  }
}
