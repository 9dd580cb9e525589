package io.dqspark.model;

import io.dqspark.util.DqInputException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Bounds-checked little-endian reads over {@code data[position, limit)}. Every read first checks
 * that its bytes are there and names the field and absolute file offset when they are not, so a
 * length field can never make the reader allocate more than the file holds.
 */
final class ByteCursor {
  private final byte[] data;
  private int position;
  private final int limit;

  ByteCursor(byte[] data, int position, int limit) {
    this.data = data;
    this.position = position;
    this.limit = limit;
  }

  int position() { return position; }
  int remaining() { return limit - position; }

  /** Fails unless {@code n} more bytes are available for {@code field}. */
  void require(long n, String field) {
    if (n < 0 || n > remaining()) {
      throw new DqInputException(field + " at offset " + position + " needs " + n
          + " bytes, only " + remaining() + " remain");
    }
  }

  int u8(String field) {
    require(1, field);
    return data[position++] & 0xff;
  }

  int u16(String field) {
    require(2, field);
    int v = (data[position] & 0xff) | (data[position + 1] & 0xff) << 8;
    position += 2;
    return v;
  }

  short i16(String field) {
    return (short) u16(field);
  }

  int i32(String field) {
    require(4, field);
    int v = (data[position] & 0xff) | (data[position + 1] & 0xff) << 8
        | (data[position + 2] & 0xff) << 16 | (data[position + 3] & 0xff) << 24;
    position += 4;
    return v;
  }

  /** An unsigned 32-bit field that must lie in {@code [0, max]}. */
  int u32AtMost(long max, String field) {
    int at = position;
    long v = i32(field) & 0xffffffffL;
    if (v > max) {
      throw new DqInputException(field + " at offset " + at + " is " + v + ", at most " + max
          + " allowed");
    }
    return (int) v;
  }

  /** A cursor over the next {@code n} bytes, which this one skips. */
  ByteCursor slice(long n, String field) {
    require(n, field);
    ByteCursor c = new ByteCursor(data, position, position + (int) n);
    position += (int) n;
    return c;
  }

  byte[] bytes(long n, String field) {
    require(n, field);
    byte[] b = new byte[(int) n];
    System.arraycopy(data, position, b, 0, (int) n);
    position += (int) n;
    return b;
  }

  /** A UTF-8 string of {@code n} bytes; malformed UTF-8 is an error, not a replacement char. */
  String utf8(long n, String field) {
    int at = position;
    byte[] b = bytes(n, field);
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b)).toString();
    } catch (CharacterCodingException e) {
      throw new DqInputException(field + " at offset " + at + " is not valid UTF-8", e);
    }
  }
}
