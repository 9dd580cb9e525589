package io.dqspark.loaders.planetoid;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.razorvine.pickle.PickleException;

/**
 * A numpy dtype as pickled: {@code numpy.dtype('f4', 0, 1)} followed by a state tuple whose
 * second item is the byte order. Only the plain numeric kinds that Planetoid files hold are
 * accepted (bool, signed and unsigned ints, float32/float64); object or string arrays are not.
 */
final class Dtype implements PickleState {
  private final String code;
  private final char kind;
  private final int size;
  private ByteOrder order = ByteOrder.LITTLE_ENDIAN;

  Dtype(String code) {
    String c = code.isEmpty() || "<>|=".indexOf(code.charAt(0)) < 0 ? code : code.substring(1);
    this.code = c;
    if (c.equals("?")) {
      c = "b1";
    }
    int parsed;
    try {
      parsed = c.length() < 2 ? -1 : Integer.parseInt(c.substring(1));
    } catch (NumberFormatException e) {
      parsed = -1;
    }
    this.kind = c.isEmpty() ? '?' : c.charAt(0);
    this.size = parsed;
    boolean ok = switch (kind) {
      case 'b' -> size == 1;
      case 'i', 'u' -> size == 1 || size == 2 || size == 4 || size == 8;
      case 'f' -> size == 4 || size == 8;
      default -> false;
    };
    if (!ok) {
      throw new PickleException("unsupported numpy dtype '" + code
          + "' (expected bool, int, uint, float32 or float64)");
    }
  }

  @Override
  public void setState(Object state) {
    Object[] t = Pickled.tuple(state, "numpy dtype state");
    if (t.length < 2) {
      throw new PickleException("numpy dtype state: expected at least 2 items, got " + t.length);
    }
    String endian = Pickled.string(t[1], "numpy dtype byte order");
    switch (endian) {
      case ">" -> order = ByteOrder.BIG_ENDIAN;
      case "<", "|" -> order = ByteOrder.LITTLE_ENDIAN;
      case "=" -> order = ByteOrder.nativeOrder();
      default -> throw new PickleException("numpy dtype: unknown byte order '" + endian + "'");
    }
  }

  ByteOrder order() { return order; }
  int itemSize() { return size; }
  boolean isIntegral() { return kind != 'f'; }
  String code() { return code; }

  /** Element {@code i} of a buffer in this dtype, as a double (exact for all but huge 64-bit ints). */
  double readDouble(ByteBuffer buf, int i) {
    int p = i * size;
    return switch (kind) {
      case 'f' -> size == 4 ? buf.getFloat(p) : buf.getDouble(p);
      case 'u' -> size == 8 ? unsignedToDouble(buf.getLong(p)) : readLong(buf, i);
      default -> readLong(buf, i);
    };
  }

  /** Element {@code i} of an integral buffer as a long (unsigned 64-bit values above 2^63 wrap). */
  long readLong(ByteBuffer buf, int i) {
    int p = i * size;
    boolean unsigned = kind == 'u' || kind == 'b';
    return switch (size) {
      case 1 -> unsigned ? buf.get(p) & 0xffL : buf.get(p);
      case 2 -> unsigned ? buf.getShort(p) & 0xffffL : buf.getShort(p);
      case 4 -> unsigned ? buf.getInt(p) & 0xffffffffL : buf.getInt(p);
      default -> buf.getLong(p);
    };
  }

  private static double unsignedToDouble(long v) {
    return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
  }
}
