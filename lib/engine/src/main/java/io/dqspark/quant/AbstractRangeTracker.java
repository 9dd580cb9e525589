package io.dqspark.quant;

/** State handling shared by the range trackers. */
abstract class AbstractRangeTracker implements RangeTracker {
  protected long batches;
  protected double min = Double.NaN;
  protected double max = Double.NaN;

  @Override
  public boolean initialised() {
    return batches > 0;
  }

  @Override
  public double min() {
    return min;
  }

  @Override
  public double max() {
    return max;
  }

  @Override
  public double[] state() {
    return new double[] {batches, min, max};
  }

  @Override
  public void setState(double[] state) {
    checkState(state);
    batches = (long) state[0];
    min = batches > 0 ? state[1] : Double.NaN;
    max = batches > 0 ? state[2] : Double.NaN;
  }

  static void checkState(double[] s) {
    if (s == null || s.length != STATE_LENGTH) {
      throw new IllegalArgumentException("range state must have " + STATE_LENGTH + " entries");
    }
    if (!(s[0] >= 0) || s[0] != Math.rint(s[0])) {
      throw new IllegalArgumentException("range state batch count must be a whole number >= 0, got " + s[0]);
    }
    if (s[0] > 0 && !(Double.isFinite(s[1]) && Double.isFinite(s[2]) && s[1] <= s[2])) {
      throw new IllegalArgumentException("range state needs finite min <= max, got [" + s[1] + ", " + s[2] + "]");
    }
  }
}
