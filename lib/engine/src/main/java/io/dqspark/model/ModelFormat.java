package io.dqspark.model;

import java.nio.charset.StandardCharsets;

/**
 * Constants of the {@code .dq8} format, versions 1 to 3 (docs/model-format.md describes every
 * byte).
 * Shared by {@link ModelWriter} and {@link ModelReader} so that the two cannot drift apart.
 */
public final class ModelFormat {
  private ModelFormat() {}

  /** PNG-style signature: a high byte, the name, CR LF, ^Z, LF catch text-mode and 7-bit damage. */
  static final byte[] MAGIC = {(byte) 0x89, 'D', 'Q', '8', 0x0D, 0x0A, 0x1A, 0x0A};
  /**
   * The version writers produce for GCN and GIN models: 2 (adds the task, GIN layers, pooling,
   * dense layers, head). GAT models are written as {@link #VERSION_3}.
   */
  public static final int VERSION = 2;
  /** The GCN-only first version, still read. */
  public static final int VERSION_1 = 1;
  /**
   * Adds GAT1 sections. Written for GAT models only, so that readers of version 2 keep reading
   * every GCN and GIN file a newer writer produces.
   */
  public static final int VERSION_3 = 3;
  /** magic (8) + version (2) + flags (2) + payload length (4) + CRC32 (4). */
  static final int HEADER_BYTES = 20;
  /** Largest payload a reader accepts (1 GiB); also bounds what it reads from a stream. */
  public static final int MAX_PAYLOAD = 1 << 30;

  static final int TAG_META = tag("META");
  static final int TAG_GCN = tag("GCN1");
  static final int TAG_GIN = tag("GIN1");
  static final int TAG_GAT = tag("GAT1");
  static final int TAG_POOL = tag("POOL");
  static final int TAG_DENSE = tag("DENS");
  static final int TAG_HEAD = tag("HEAD");
  /** section tag (4) + section length (4). */
  static final int SECTION_HEADER_BYTES = 8;

  static final int MAX_ARCHITECTURE_BYTES = 64;
  static final int MAX_PROVENANCE_ENTRIES = 4096;
  static final int MAX_KEY_BYTES = 1024;
  static final int MAX_VALUE_BYTES = 1 << 20;

  /** Weight encodings: one signed byte per code, or two's-complement nibbles two per byte. */
  static final int WEIGHTS_INT8 = 1;
  static final int WEIGHTS_INT4_PACKED = 2;

  static final int FLAG_RELU = 1;
  /** nIn, nOut (4 + 4), flags, encoding, bias shift, reserved (4 x 1). */
  static final int GCN_FIXED_BYTES = 12;
  /** bits, signed, zero point (i16), scale (f32). */
  static final int PARAMS_BYTES = 8;
  /** m0 (i32), shift (i32). */
  static final int MULTIPLIER_BYTES = 8;
  static final int MULTIPLIERS = 5;
  /** GIN1: nIn, hidden (4 + 4), flags, encoding, self shift, reserved (4 x 1), eps (f32). */
  static final int GIN_FIXED_BYTES = 16;
  static final int GIN_MULTIPLIERS = 7;
  /**
   * GAT1: nIn, outPerHead (4 + 4), heads (u16), activation, flags, encoding, bias shift (4 x 1),
   * reserved u16.
   */
  static final int GAT_FIXED_BYTES = 16;
  static final int GAT_MULTIPLIERS = 5;
  /** GAT1 flag bit 0: heads concatenated (else averaged). */
  static final int FLAG_CONCAT = 1;
  /** POOL: pooling, fraction bits (2 x 1), dense layer count (u16). */
  static final int POOL_BYTES = 4;
  /** DENS: nIn, nOut (4 + 4), flags, encoding, reserved u16. */
  static final int DENSE_FIXED_BYTES = 12;
  static final int DENSE_MULTIPLIERS = 2;
  /** HEAD: nIn, classes (4 + 4), encoding, 3 reserved bytes. */
  static final int HEAD_FIXED_BYTES = 12;

  /** The four ASCII bytes as a little-endian u32, so the file shows them in reading order. */
  static int tag(String name) {
    byte[] b = name.getBytes(StandardCharsets.US_ASCII);
    return (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
  }

  static String tagName(int tag) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 4; i++) {
      int c = (tag >>> (8 * i)) & 0xff;
      s.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02x", c));
    }
    return s.toString();
  }

  /** Bytes of {@code count} weight codes in {@code encoding}. */
  static long weightBytes(int encoding, long count) {
    return encoding == WEIGHTS_INT4_PACKED ? (count + 1) / 2 : count;
  }
}
