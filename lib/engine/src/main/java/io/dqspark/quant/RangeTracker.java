package io.dqspark.quant;

/**
 * Tracks the real range a quantizer covers, updated from training batches only.
 *
 * <p>State is three doubles {@code {batches, min, max}} so it can be saved with a model and
 * merged across workers by each implementation's static {@code merge}; {@code batches == 0}
 * means no batch has been seen and the range is undefined. Non-finite values are ignored (a
 * diverging batch must not poison the range), and a batch with no finite unprotected value
 * leaves the state unchanged.
 */
public interface RangeTracker {
  int STATE_LENGTH = 3;

  /**
   * Observes a row-major {@code [rows, cols]} batch, ignoring rows with {@code protectedRows[r]}
   * ({@code null}: none). Does nothing unless {@code training}.
   */
  void observe(float[] x, int cols, boolean[] protectedRows, boolean training);

  /** Observes every value of {@code x}. */
  default void observe(float[] x, boolean training) {
    observe(x, 1, null, training);
  }

  /** Whether at least one batch has been observed. */
  boolean initialised();

  /** Low end of the tracked range; undefined (NaN) before the first batch. */
  double min();

  /** High end of the tracked range; undefined (NaN) before the first batch. */
  double max();

  /** A copy of {@code {batches, min, max}}. */
  double[] state();

  /** Restores a state from {@link #state()} or a merge, validating it. */
  void setState(double[] state);

  /** Quantization parameters for the current range. */
  default QuantParams params(int bits, boolean signed) {
    if (!initialised()) {
      throw new IllegalStateException("no range observed yet: run a training batch or load a state");
    }
    return QuantParams.fromRange(bits, signed, min(), max());
  }
}
