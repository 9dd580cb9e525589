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
 * Writes a {@link QuantizedModel} in the {@code .dq8} format: version {@link ModelFormat#VERSION}
 * for GCN and GIN (also a GCN read from a version 1 file), {@link ModelFormat#VERSION_3} for GAT. Weights whose quantizers all have at most 4 bits are
 * packed two per byte; all others take a byte each. The output is a pure function of the model,
 * so equal models give identical files.
 */
public final class ModelWriter {
  private ModelWriter() {}

  /** The whole file as bytes. */
  public static byte[] toBytes(QuantizedModel model) {
    LittleEndianOut payload = new LittleEndianOut();
    section(payload, ModelFormat.TAG_META, meta(model));
    // the format's one mapping from model type to sections (ModelReader maps back by name)
    if (model instanceof GcnModel gcn) {
      for (GcnLayer l : gcn.layers()) {
        section(payload, ModelFormat.TAG_GCN, gcnLayer(l));
      }
    } else if (model instanceof GinModel gin) {
      for (GinLayer l : gin.layers()) {
        section(payload, ModelFormat.TAG_GIN, ginLayer(l));
      }
      if (gin.readout() != null) {
        section(payload, ModelFormat.TAG_POOL, pool(gin.readout(), gin.denseLayers().size()));
      }
      for (DenseLayer d : gin.denseLayers()) {
        section(payload, ModelFormat.TAG_DENSE, dense(d));
      }
      section(payload, ModelFormat.TAG_HEAD, head(gin.head()));
    } else if (model instanceof GatModel gat) {
      for (GatLayer l : gat.layers()) {
        section(payload, ModelFormat.TAG_GAT, gatLayer(l));
      }
    } else {
      throw new IllegalStateException("no sections for " + model.getClass().getName());
    }
    byte[] body = payload.toByteArray();
    if (body.length > ModelFormat.MAX_PAYLOAD) {
      throw new DqInputException("model payload of " + body.length + " bytes exceeds the "
          + ModelFormat.MAX_PAYLOAD + "-byte limit of format version " + version(model));
    }
    CRC32 crc = new CRC32();
    crc.update(body);
    LittleEndianOut file = new LittleEndianOut();
    file.bytes(ModelFormat.MAGIC);
    file.u16(version(model));
    file.u16(0);
    file.i32(body.length);
    file.i32((int) crc.getValue());
    file.bytes(body);
    return file.toByteArray();
  }

  /** The lowest version that holds the model: 3 for GAT, 2 for everything else. */
  public static int version(QuantizedModel model) {
    return model instanceof GatModel ? ModelFormat.VERSION_3 : ModelFormat.VERSION;
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
    out.u16(model.layerCount());
    out.u8(model.task().code());
    out.u8(0);
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

  /** The fields every weight section starts with: widths, the ReLU flag and the weight encoding. */
  private static void shape(LittleEndianOut out, int nIn, int nOut, boolean relu, boolean packed) {
    out.i32(nIn);
    out.i32(nOut);
    out.u8(relu ? ModelFormat.FLAG_RELU : 0);
    out.u8(packed ? ModelFormat.WEIGHTS_INT4_PACKED : ModelFormat.WEIGHTS_INT8);
  }

  private static byte[] gcnLayer(GcnLayer l) {
    LittleEndianOut out = new LittleEndianOut();
    boolean packed = l.params(GcnSite.WEIGHT).bits() <= 4;
    shape(out, l.nIn(), l.nOut(), l.relu(), packed);
    out.u8(l.biasShift());
    out.u8(0);
    for (GcnSite s : GcnSite.values()) {
      out.params(l.params(s));
    }
    out.multipliers(l.inputMultiplier(), l.xwMultiplier(), l.messageMultiplier(),
        l.aggregateMultiplier(), l.outputMultiplier());
    out.weights(l.weightsView(), packed);
    out.ints(l.biasView());
    return out.toByteArray();
  }

  private static byte[] ginLayer(GinLayer l) {
    LittleEndianOut out = new LittleEndianOut();
    boolean packed = l.params(GinSite.LIN1_WEIGHT).bits() <= 4 && l.params(GinSite.LIN2_WEIGHT).bits() <= 4;
    shape(out, l.nIn(), l.hidden(), l.outputRelu(), packed);
    out.u8(l.selfShift());
    out.u8(0);
    out.i32(Float.floatToRawIntBits(l.eps()));
    for (GinSite s : GinSite.values()) {
      out.params(l.params(s));
    }
    out.multipliers(l.multipliers());
    out.weights(l.w1View(), packed);
    out.ints(l.b1View());
    out.weights(l.w2View(), packed);
    out.ints(l.b2View());
    return out.toByteArray();
  }

  private static byte[] gatLayer(GatLayer l) {
    LittleEndianOut out = new LittleEndianOut();
    boolean packed = l.params(GatSite.WEIGHT).bits() <= 4 && l.params(GatSite.ATTENTION).bits() <= 4;
    out.i32(l.nIn());
    out.i32(l.outPerHead());
    out.u16(l.heads());
    out.u8(l.activation().ordinal());
    out.u8(l.concat() ? ModelFormat.FLAG_CONCAT : 0);
    out.u8(packed ? ModelFormat.WEIGHTS_INT4_PACKED : ModelFormat.WEIGHTS_INT8);
    out.u8(l.biasShift());
    out.u16(0);
    for (GatSite s : GatSite.values()) {
      out.params(l.params(s));
    }
    out.multipliers(l.xwMultiplier(), l.logitMultiplier(), l.messageMultiplier(),
        l.aggregateMultiplier(), l.outputMultiplier());
    out.weights(l.weightsView(), packed);
    out.weights(l.attentionView(), packed);
    out.ints(l.biasView());
    return out.toByteArray();
  }

  private static byte[] pool(GraphReadout r, int denseLayers) {
    LittleEndianOut out = new LittleEndianOut();
    out.u8(r.pooling().code());
    out.u8(r.fractionBits());
    out.u16(denseLayers);
    return out.toByteArray();
  }

  private static byte[] dense(DenseLayer d) {
    LittleEndianOut out = new LittleEndianOut();
    boolean packed = d.params(DenseSite.WEIGHT).bits() <= 4;
    shape(out, d.nIn(), d.nOut(), d.relu(), packed);
    out.u16(0);
    for (DenseSite s : DenseSite.values()) {
      out.params(d.params(s));
    }
    out.multipliers(d.inputMultiplier(), d.denseMultiplier());
    out.weights(d.weightsView(), packed);
    out.ints(d.biasView());
    return out.toByteArray();
  }

  private static byte[] head(OutputHead h) {
    LittleEndianOut out = new LittleEndianOut();
    boolean packed = h.weightParams().bits() <= 4;
    out.i32(h.nIn());
    out.i32(h.classes());
    out.u8(packed ? ModelFormat.WEIGHTS_INT4_PACKED : ModelFormat.WEIGHTS_INT8);
    out.u8(0);
    out.u16(0);
    out.params(h.weightParams());
    out.weights(h.weightsView(), packed);
    out.ints(h.biasView());
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

    void ints(int[] values) {
      for (int v : values) {
        i32(v);
      }
    }

    /** bits, signed, zero point, scale: 8 bytes. */
    void params(QuantParams p) {
      u8(p.bits());
      u8(p.signed() ? 1 : 0);
      u16(p.zeroPoint() & 0xffff);
      i32(Float.floatToRawIntBits(p.scale()));
    }

    /** m0, shift per multiplier; an absent one as two zeros. */
    void multipliers(FixedPointMultiplier... ms) {
      for (FixedPointMultiplier m : ms) {
        i32(m == null ? 0 : m.multiplier());
        i32(m == null ? 0 : m.shift());
      }
    }

    void weights(byte[] codes, boolean packed) {
      bytes(packed ? Int4Packing.pack(codes) : codes);
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
