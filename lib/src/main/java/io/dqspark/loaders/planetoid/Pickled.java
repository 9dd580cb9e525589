package io.dqspark.loaders.planetoid;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.razorvine.pickle.PickleException;

/** Checked conversions from what Pyrolite builds (Integer, Object[] tuples, Strings...) to Java values. */
final class Pickled {
  private Pickled() {}

  /** A Python int as a long; rejects floats, bools and anything else. */
  static long integral(Object o, String what) {
    if (o instanceof Integer || o instanceof Long || o instanceof Short || o instanceof Byte) {
      return ((Number) o).longValue();
    }
    if (o instanceof BigInteger b && b.bitLength() < 64) {
      return b.longValue();
    }
    throw new PickleException(what + ": expected an integer, got " + describe(o));
  }

  /** A Python int that must fit a non-negative Java int (sizes, shapes). */
  static int size(Object o, String what) {
    long v = integral(o, what);
    if (v < 0 || v > Integer.MAX_VALUE - 8) {
      throw new PickleException(what + ": " + v + " is not a usable size");
    }
    return (int) v;
  }

  static Object[] tuple(Object o, String what) {
    if (o instanceof Object[] t) {
      return t;
    }
    throw new PickleException(what + ": expected a tuple, got " + describe(o));
  }

  static String string(Object o, String what) {
    if (o instanceof String s) {
      return s;
    }
    if (o instanceof byte[] b) {
      return new String(b, StandardCharsets.ISO_8859_1);
    }
    throw new PickleException(what + ": expected a string, got " + describe(o));
  }

  static boolean bool(Object o, String what) {
    if (o instanceof Boolean b) {
      return b;
    }
    return integral(o, what) != 0;
  }

  /**
   * Raw bytes: Python 2 {@code str} arrives as a String of chars 0..255 (one per byte), Python 3
   * {@code bytes} as a byte array.
   */
  static byte[] bytes(Object o, String what) {
    if (o instanceof byte[] b) {
      return b;
    }
    if (o instanceof String s) {
      byte[] out = new byte[s.length()];
      for (int i = 0; i < out.length; i++) {
        char c = s.charAt(i);
        if (c > 0xff) {
          throw new PickleException(what + ": expected a byte string, found character U+"
              + Integer.toHexString(c));
        }
        out[i] = (byte) c;
      }
      return out;
    }
    throw new PickleException(what + ": expected raw bytes, got " + describe(o));
  }

  /** A short description of a pickled value for error messages. */
  static String describe(Object o) {
    if (o == null) {
      return "None";
    }
    if (o instanceof Object[] t) {
      return "a tuple of " + t.length;
    }
    if (o instanceof List<?> l) {
      return "a list of " + l.size();
    }
    if (o instanceof String s) {
      return "the string '" + (s.length() > 40 ? s.substring(0, 37) + "..." : s) + "'";
    }
    return "a " + PickleReader.pythonName(o);
  }
}
