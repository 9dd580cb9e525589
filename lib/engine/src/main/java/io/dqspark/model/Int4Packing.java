package io.dqspark.model;

import io.dqspark.util.DqInputException;

/**
 * Two signed 4-bit codes per byte: code {@code 2i} in the low nibble of byte {@code i}, code
 * {@code 2i+1} in the high nibble, each as a two's-complement nibble (-8..7). An odd count leaves
 * the last high nibble zero.
 */
final class Int4Packing {
  private Int4Packing() {}

  static byte[] pack(byte[] codes) {
    byte[] out = new byte[(codes.length + 1) / 2];
    for (int i = 0; i < codes.length; i++) {
      if (codes[i] < -8 || codes[i] > 7) {
        throw new DqInputException("code " + i + " = " + codes[i] + " does not fit in 4 bits");
      }
      int nibble = codes[i] & 0x0f;
      out[i >> 1] |= (byte) ((i & 1) == 0 ? nibble : nibble << 4);
    }
    return out;
  }

  /** Unpacks {@code count} codes; {@code where} names the field in errors. */
  static byte[] unpack(byte[] packed, int count, String where) {
    if (packed.length != (count + 1) / 2) {
      throw new DqInputException(where + ": " + count + " 4-bit codes need " + (count + 1) / 2
          + " bytes, got " + packed.length);
    }
    byte[] codes = new byte[count];
    for (int i = 0; i < count; i++) {
      int b = packed[i >> 1];
      int nibble = (i & 1) == 0 ? b & 0x0f : (b >> 4) & 0x0f;
      codes[i] = (byte) ((nibble << 28) >> 28); // sign-extend the nibble
    }
    if ((count & 1) == 1 && (packed[packed.length - 1] & 0xf0) != 0) {
      throw new DqInputException(where + ": the unused high nibble of the last byte must be 0");
    }
    return codes;
  }
}
