package io.dqspark.jobs.score;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * FP32 rows as the bytes that travel between parts (four little-endian bytes per value), so the
 * FP32 engine rides the same {@link RowBlock} exchange as int8 codes. Bulk buffer copies, not a
 * loop per value: the FP32 baseline should pay for its row size, not for a slow codec.
 */
final class FloatRows {
  private FloatRows() {}

  static byte[] encode(float[] values) {
    byte[] out = new byte[Math.multiplyExact(values.length, Float.BYTES)];
    ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(values);
    return out;
  }

  /** The first {@code count} values of {@code bytes}. */
  static float[] decode(byte[] bytes, int count) {
    if ((long) count * Float.BYTES > bytes.length) {
      throw new IllegalArgumentException("need " + count + " floats, got " + bytes.length + " bytes");
    }
    float[] out = new float[count];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
    return out;
  }

  static float[] decode(byte[] bytes) {
    return decode(bytes, bytes.length / Float.BYTES);
  }
}
