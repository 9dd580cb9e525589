package io.dqspark.model;

import io.dqspark.quant.FixedPointMultiplier;
import io.dqspark.quant.QuantParams;
import io.dqspark.util.DqInputException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Writes a {@link QuantizedModel} in the {@code .dq8} format, version 1. Weights whose quantizer
 * has at most 4 bits are packed two per byte; all others take a byte each. The output is a pure
 * function of the model, so equal models give identical files.
 */
public final class ModelWriter {
  private ModelWriter() {}

  /** The whole file as bytes. */
  public static byte[] toBytes(QuantizedModel model) {
    LittleEndianOut payload = new LittleEndianOut();
    section(payload, ModelFormat.TAG_META, meta(model));
    for (GcnLayer l : model.layers()) {
      section(payload, ModelFormat.TAG_GCN, gcnLayer(l));
    }
    byte[] body = payload.toByteArray();
    if (body.length > ModelFormat.MAX_PAYLOAD) {
      throw new DqInputException("model payload of " + body.length + " bytes exceeds the "
          + ModelFormat.MAX_PAYLOAD + "-byte limit of format version " + ModelFormat.VERSION);
    }
    CRC32 crc = new CRC32();
    crc.update(body);
    LittleEndianOut file = new LittleEndianOut();
    file.bytes(ModelFormat.MAGIC);
    file.u16(ModelFormat.VERSION);
    file.u16(0);
    file.i32(body.length);
    file.i32((int) crc.getValue());
    file.bytes(body);
    return file.toByteArray();
  }

  public static void write(QuantizedModel model, OutputStream out) throws IOException {
    out.write(toBytes(model));
  }

  /** Writes to a temporary sibling and renames it, so readers never see half a model. */
  public static void write(QuantizedModel model, Path file) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
      try {
        Files.write(tmp, toBytes(model));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write model " + file, e);
    }
  }

  private static void section(LittleEndianOut out, int tag, byte[] body) {
    out.i32(tag);
    out.i32(body.length);
    out.bytes(body);
  }

  private static byte[] meta(QuantizedModel model) {
    LittleEndianOut out = new LittleEndianOut();
    out.string16(model.architecture(), ModelFormat.MAX_ARCHITECTURE_BYTES, "architecture");
    out.u16(model.layers().size());
    Map<String, String> p = model.provenance();
    if (p.size() > ModelFormat.MAX_PROVENANCE_ENTRIES) {
      throw new DqInputException("at most " + ModelFormat.MAX_PROVENANCE_ENTRIES
          + " provenance entries, got " + p.size());
    }
    out.i32(p.size());
    for (Map.Entry<String, String> e : p.entrySet()) {
      out.string16(e.getKey(), ModelFormat.MAX_KEY_BYTES, "provenance key");
      out.string32(e.getValue(), ModelFormat.MAX_VALUE_BYTES, "provenance value '" + e.getKey() + "'");
    }
    return out.toByteArray();
  }

  private static byte[] gcnLayer(GcnLayer l) {
    LittleEndianOut out = new LittleEndianOut();
    boolean packed = l.params(GcnSite.WEIGHT).bits() <= 4;
    out.i32(l.nIn());
    out.i32(l.nOut());
    out.u8(l.relu() ? ModelFormat.FLAG_RELU : 0);
    out.u8(packed ? ModelFormat.WEIGHTS_INT4_PACKED : ModelFormat.WEIGHTS_INT8);
    out.u8(l.biasShift());
    out.u8(0);
    for (GcnSite s : GcnSite.values()) {
      QuantParams p = l.params(s);
      out.u8(p.bits());
      out.u8(p.signed() ? 1 : 0);
      out.u16(p.zeroPoint() & 0xffff);
      out.i32(Float.floatToRawIntBits(p.scale()));
    }
    for (FixedPointMultiplier m : new FixedPointMultiplier[] {l.inputMultiplier(), l.xwMultiplier(),
        l.messageMultiplier(), l.aggregateMultiplier(), l.outputMultiplier()}) {
      out.i32(m == null ? 0 : m.multiplier());
      out.i32(m == null ? 0 : m.shift());
    }
    out.bytes(packed ? Int4Packing.pack(l.weightsView()) : l.weightsView());
    for (int b : l.biasView()) {
      out.i32(b);
    }
    return out.toByteArray();
  }

  /** Little-endian primitives on a growable buffer. */
  private static final class LittleEndianOut extends ByteArrayOutputStream {
    void u8(int v) {
      write(v);
    }

    void u16(int v) {
      write(v);
      write(v >>> 8);
    }

    void i32(int v) {
      write(v);
      write(v >>> 8);
      write(v >>> 16);
      write(v >>> 24);
    }

    void bytes(byte[] b) {
      write(b, 0, b.length);
    }

    void string16(String s, int maxBytes, String what) {
      byte[] b = utf8(s, maxBytes, what);
      u16(b.length);
      bytes(b);
    }

    void string32(String s, int maxBytes, String what) {
      byte[] b = utf8(s, maxBytes, what);
      i32(b.length);
      bytes(b);
    }

    private static byte[] utf8(String s, int maxBytes, String what) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      if (b.length > maxBytes) {
        throw new DqInputException(what + " takes " + b.length + " UTF-8 bytes, at most " + maxBytes
            + " allowed");
      }
      return b;
    }
  }
}
