package io.dqspark.model;

import io.dqspark.quant.FixedPointMultiplier;
import io.dqspark.quant.QuantParams;
import io.dqspark.util.DqInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Reads a {@code .dq8} file (format version 1, 2 or 3) into a {@link QuantizedModel}, trusting nothing:
 * the magic, the version, the payload length against the bytes present, the CRC32, every section
 * and string length against the bytes that remain, every count against a fixed limit, and every
 * value through the model's own validation. Any problem is a {@link DqInputException} naming the
 * field and its byte offset; no length in the file makes the reader allocate more than the file's
 * own size. No Java serialization, no DL4J.
 */
public final class ModelReader {
  private ModelReader() {}

  public static QuantizedModel read(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read model " + file, e);
    } catch (DqInputException e) {
      throw new DqInputException(file + ": " + e.getMessage(), e);
    }
  }

  /** Reads the stream to its end (at most header + {@link ModelFormat#MAX_PAYLOAD} bytes). */
  public static QuantizedModel read(InputStream in) throws IOException {
    int max = ModelFormat.HEADER_BYTES + ModelFormat.MAX_PAYLOAD;
    byte[] data = in.readNBytes(max); // grows with what is actually there, never to max up front
    if (data.length == max && in.read() >= 0) {
      throw new DqInputException("model file is larger than " + max + " bytes");
    }
    return read(data);
  }

  public static QuantizedModel read(byte[] file) {
    ByteCursor header = new ByteCursor(file, 0, file.length);
    byte[] magic = header.bytes(ModelFormat.MAGIC.length, "magic");
    if (!java.util.Arrays.equals(magic, ModelFormat.MAGIC)) {
      throw new DqInputException("not a .dq8 model: bad magic bytes at offset 0");
    }
    int version = header.u16("format version");
    if (version < ModelFormat.VERSION_1 || version > ModelFormat.VERSION_3) {
      throw new DqInputException("format version at offset 8 is " + version + ", this reader knows "
          + ModelFormat.VERSION_1 + " to " + ModelFormat.VERSION_3);
    }
    int flags = header.u16("header flags");
    if (flags != 0) {
      throw new DqInputException("header flags at offset 10 are " + flags + ", must be 0");
    }
    int payloadLength = header.u32AtMost(ModelFormat.MAX_PAYLOAD, "payload length");
    int expectedCrc = header.i32("payload CRC32");
    if (header.remaining() != payloadLength) {
      throw new DqInputException("payload length at offset 12 says " + payloadLength
          + " bytes, the file holds " + header.remaining() + " after the header");
    }
    CRC32 crc = new CRC32();
    crc.update(file, ModelFormat.HEADER_BYTES, payloadLength);
    if ((int) crc.getValue() != expectedCrc) {
      throw new DqInputException(String.format(
          "payload checksum mismatch: header (offset 16) says %08x, payload gives %08x",
          expectedCrc, (int) crc.getValue()));
    }
    return payload(new ByteCursor(file, ModelFormat.HEADER_BYTES, file.length), version);
  }

  private static QuantizedModel payload(ByteCursor in, int version) {
    ByteCursor meta = section(in, ModelFormat.TAG_META, "META");
    int architectureBytes = meta.u16("architecture length");
    if (architectureBytes > ModelFormat.MAX_ARCHITECTURE_BYTES) {
      throw new DqInputException("architecture name is " + architectureBytes + " bytes long, at most "
          + ModelFormat.MAX_ARCHITECTURE_BYTES);
    }
    String architecture = meta.utf8(architectureBytes, "architecture");
    int layerCount = meta.u16("layer count");
    if (layerCount < 1 || layerCount > QuantizedModel.MAX_LAYERS) {
      throw new DqInputException("layer count is " + layerCount + ", must be in [1, "
          + QuantizedModel.MAX_LAYERS + "]");
    }
    ModelTask task = ModelTask.NODE; // version 1 holds node classifiers only
    if (version >= 2) {
      int at = meta.position();
      task = ModelTask.of(meta.u8("task"), "task at offset " + at);
      reserved(meta, "META reserved byte");
    }
    int entries = meta.u32AtMost(ModelFormat.MAX_PROVENANCE_ENTRIES, "provenance entry count");
    Map<String, String> provenance = new LinkedHashMap<>();
    for (int i = 0; i < entries; i++) {
      String key = meta.utf8(meta.u16("provenance key " + i + " length"), "provenance key " + i);
      if (key.isEmpty()) {
        throw new DqInputException("provenance key " + i + " is empty");
      }
      String value = meta.utf8(meta.u32AtMost(ModelFormat.MAX_VALUE_BYTES,
          "provenance value '" + key + "' length"), "provenance value '" + key + "'");
      if (provenance.put(key, value) != null) {
        throw new DqInputException("provenance key '" + key + "' appears twice");
      }
    }
    end(meta, "META");
    QuantizedModel model; // the file names the architecture: the one place a name picks the type
    if (QuantizedModel.GCN.equals(architecture)) {
      if (task != ModelTask.NODE) {
        throw new DqInputException("a gcn model must have the node task, got " + task);
      }
      model = gcn(in, layerCount, provenance);
    } else if (QuantizedModel.GIN.equals(architecture) && version >= 2) {
      model = gin(in, layerCount, task, provenance);
    } else if (QuantizedModel.GAT.equals(architecture) && version >= ModelFormat.VERSION_3) {
      if (task != ModelTask.NODE) {
        throw new DqInputException("a gat model must have the node task, got " + task);
      }
      model = gat(in, layerCount, provenance);
    } else {
      throw new DqInputException("unknown architecture '" + architecture + "' in format version "
          + version);
    }
    if (in.remaining() != 0) {
      throw new DqInputException(in.remaining() + " unexpected bytes after the last section, at offset "
          + in.position());
    }
    return model;
  }

  private static GcnModel gcn(ByteCursor in, int layerCount, Map<String, String> provenance) {
    List<GcnLayer> layers = new ArrayList<>(Math.min(layerCount, 16));
    for (int i = 0; i < layerCount; i++) {
      String name = "GCN1 section of layer " + i;
      ByteCursor s = section(in, ModelFormat.TAG_GCN, name);
      layers.add(gcnLayer(s, name));
      end(s, name);
    }
    try {
      return new GcnModel(provenance, layers);
    } catch (DqInputException e) {
      throw new DqInputException("model: " + e.getMessage(), e);
    }
  }

  /** GIN1 x n, then (graph task) POOL and its DENS sections, then HEAD. */
  private static GinModel gin(ByteCursor in, int layerCount, ModelTask task,
      Map<String, String> provenance) {
    List<GinLayer> layers = new ArrayList<>(Math.min(layerCount, 16));
    for (int i = 0; i < layerCount; i++) {
      String name = "GIN1 section of layer " + i;
      ByteCursor s = section(in, ModelFormat.TAG_GIN, name);
      layers.add(ginLayer(s, name));
      end(s, name);
    }
    GraphReadout readout = null;
    List<DenseLayer> dense = new ArrayList<>();
    if (task == ModelTask.GRAPH) {
      ByteCursor s = section(in, ModelFormat.TAG_POOL, "POOL");
      int at = s.position();
      GraphReadout.Pooling pooling = GraphReadout.Pooling.of(s.u8("POOL pooling"),
          "POOL pooling at offset " + at);
      int fractionAt = s.position();
      int fractionBits = s.u8("POOL fraction bits");
      int count = s.u16("POOL dense layer count");
      end(s, "POOL");
      if (count > QuantizedModel.MAX_LAYERS) {
        throw new DqInputException("POOL dense layer count is " + count + ", at most "
            + QuantizedModel.MAX_LAYERS);
      }
      try {
        readout = new GraphReadout(pooling, fractionBits);
      } catch (DqInputException e) {
        throw new DqInputException("POOL at offset " + fractionAt + ": " + e.getMessage(), e);
      }
      for (int i = 0; i < count; i++) {
        String name = "DENS section " + i;
        ByteCursor d = section(in, ModelFormat.TAG_DENSE, name);
        dense.add(denseLayer(d, name));
        end(d, name);
      }
    }
    ByteCursor h = section(in, ModelFormat.TAG_HEAD, "HEAD");
    OutputHead head = head(h, "HEAD");
    end(h, "HEAD");
    try {
      return new GinModel(task, provenance, layers, readout, dense, head);
    } catch (DqInputException e) {
      throw new DqInputException("model: " + e.getMessage(), e);
    }
  }

  private static GatModel gat(ByteCursor in, int layerCount, Map<String, String> provenance) {
    List<GatLayer> layers = new ArrayList<>(Math.min(layerCount, 16));
    for (int i = 0; i < layerCount; i++) {
      String name = "GAT1 section of layer " + i;
      ByteCursor s = section(in, ModelFormat.TAG_GAT, name);
      layers.add(gatLayer(s, name));
      end(s, name);
    }
    try {
      return new GatModel(provenance, layers);
    } catch (DqInputException e) {
      throw new DqInputException("model: " + e.getMessage(), e);
    }
  }

  private static GatLayer gatLayer(ByteCursor s, String name) {
    int nIn = s.u32AtMost(GcnLayer.MAX_EXACT_NIN, name + " nIn");
    int f = s.u32AtMost(GatLayer.MAX_HEAD_WIDTH, name + " outPerHead");
    int heads = s.u16(name + " heads");
    if (heads < 1 || heads > GatLayer.MAX_HEADS) {
      throw new DqInputException(name + " heads at offset " + (s.position() - 2) + " is " + heads
          + ", must be in [1, " + GatLayer.MAX_HEADS + "]");
    }
    int activationAt = s.position();
    GatLayer.Activation activation = GatLayer.Activation.of(s.u8(name + " activation"),
        name + " at offset " + activationAt);
    int flagsAt = s.position();
    int flags = s.u8(name + " flags");
    if ((flags & ~ModelFormat.FLAG_CONCAT) != 0) {
      throw new DqInputException(name + " flags at offset " + flagsAt + " are " + flags
          + "; only bit 0 (concat) is defined");
    }
    int encoding = encoding(s, name);
    int biasShift = s.u8(name + " bias shift");
    if (s.u16(name + " reserved") != 0) {
      throw new DqInputException(name + " reserved bytes at offset " + (s.position() - 2) + " must be 0");
    }
    boolean concat = flags != 0;
    long width = (long) heads * f;
    long outWidth = concat ? width : f;
    long expected = ModelFormat.GAT_FIXED_BYTES
        + (long) GatSite.values().length * ModelFormat.PARAMS_BYTES
        + (long) ModelFormat.GAT_MULTIPLIERS * ModelFormat.MULTIPLIER_BYTES
        + ModelFormat.weightBytes(encoding, nIn * width) + ModelFormat.weightBytes(encoding, 2 * width)
        + 4L * outWidth;
    expectLength(s, name, ModelFormat.GAT_FIXED_BYTES, expected, "nIn=" + nIn + ", outPerHead=" + f
        + ", heads=" + heads + ", concat=" + concat + " and weight encoding " + encoding);
    Map<GatSite, QuantParams> params = new EnumMap<>(GatSite.class);
    for (GatSite site : GatSite.values()) {
      params.put(site, params(s, name + " " + site + " parameters"));
    }
    String[] names = {"xw", "logit", "message", "aggregate", "output"};
    FixedPointMultiplier[] m = new FixedPointMultiplier[names.length];
    for (int i = 0; i < m.length; i++) {
      m[i] = multiplier(s, name + " " + names[i] + " multiplier", false);
    }
    packedNeedsFourBits(encoding, params.get(GatSite.WEIGHT), name);
    packedNeedsFourBits(encoding, params.get(GatSite.ATTENTION), name + " attention");
    byte[] w = weights(s, encoding, nIn * width, name + " weights");
    byte[] att = weights(s, encoding, 2 * width, name + " attention");
    int[] bias = ints(s, (int) outWidth, name + " bias");
    try {
      return new GatLayer(nIn, f, heads, concat, activation, params, w, att, bias, biasShift, m[0],
          m[1], m[2], m[3], m[4]);
    } catch (DqInputException e) {
      throw new DqInputException(name + ": " + e.getMessage(), e);
    }
  }

  private static GinLayer ginLayer(ByteCursor s, String name) {
    int nIn = s.u32AtMost(GcnLayer.MAX_EXACT_NIN, name + " nIn");
    int hidden = s.u32AtMost(GcnLayer.MAX_EXACT_NIN, name + " hidden");
    boolean relu = flags(s, name);
    int encoding = encoding(s, name);
    int selfShift = s.u8(name + " self shift");
    reserved(s, name + " reserved byte");
    float eps = Float.intBitsToFloat(s.i32(name + " eps"));
    long c1 = (long) nIn * hidden;
    long c2 = (long) hidden * hidden;
    long expected = ModelFormat.GIN_FIXED_BYTES
        + (long) GinSite.values().length * ModelFormat.PARAMS_BYTES
        + (long) ModelFormat.GIN_MULTIPLIERS * ModelFormat.MULTIPLIER_BYTES
        + ModelFormat.weightBytes(encoding, c1) + ModelFormat.weightBytes(encoding, c2) + 8L * hidden;
    expectLength(s, name, ModelFormat.GIN_FIXED_BYTES, expected,
        "nIn=" + nIn + ", hidden=" + hidden + " and weight encoding " + encoding);
    Map<GinSite, QuantParams> params = new EnumMap<>(GinSite.class);
    for (GinSite site : GinSite.values()) {
      params.put(site, params(s, name + " " + site + " parameters"));
    }
    String[] names = {"message", "aggregate", "self", "lin1 input", "lin1", "lin2 input", "lin2"};
    FixedPointMultiplier[] m = new FixedPointMultiplier[names.length];
    for (int i = 0; i < m.length; i++) {
      m[i] = multiplier(s, name + " " + names[i] + " multiplier", i == 0 || i == 2);
    }
    packedNeedsFourBits(encoding, params.get(GinSite.LIN1_WEIGHT), name + " lin1");
    packedNeedsFourBits(encoding, params.get(GinSite.LIN2_WEIGHT), name + " lin2");
    byte[] w1 = weights(s, encoding, c1, name + " lin1 weights");
    int[] b1 = ints(s, hidden, name + " lin1 bias");
    byte[] w2 = weights(s, encoding, c2, name + " lin2 weights");
    int[] b2 = ints(s, hidden, name + " lin2 bias");
    try {
      return new GinLayer(nIn, hidden, relu, params, eps, selfShift, w1, b1, w2, b2, m[0], m[1], m[2],
          m[3], m[4], m[5], m[6]);
    } catch (DqInputException e) {
      throw new DqInputException(name + ": " + e.getMessage(), e);
    }
  }

  private static DenseLayer denseLayer(ByteCursor s, String name) {
    int nIn = s.u32AtMost(GcnLayer.MAX_EXACT_NIN, name + " nIn");
    int nOut = s.u32AtMost(GcnLayer.MAX_WIDTH, name + " nOut");
    boolean relu = flags(s, name);
    int encoding = encoding(s, name);
    if (s.u16(name + " reserved") != 0) {
      throw new DqInputException(name + " reserved bytes at offset " + (s.position() - 2) + " must be 0");
    }
    long count = (long) nIn * nOut;
    long expected = ModelFormat.DENSE_FIXED_BYTES
        + (long) DenseSite.values().length * ModelFormat.PARAMS_BYTES
        + (long) ModelFormat.DENSE_MULTIPLIERS * ModelFormat.MULTIPLIER_BYTES
        + ModelFormat.weightBytes(encoding, count) + 4L * nOut;
    expectLength(s, name, ModelFormat.DENSE_FIXED_BYTES, expected,
        "nIn=" + nIn + ", nOut=" + nOut + " and weight encoding " + encoding);
    Map<DenseSite, QuantParams> params = new EnumMap<>(DenseSite.class);
    for (DenseSite site : DenseSite.values()) {
      params.put(site, params(s, name + " " + site + " parameters"));
    }
    FixedPointMultiplier input = multiplier(s, name + " input multiplier", false);
    FixedPointMultiplier dense = multiplier(s, name + " dense multiplier", false);
    packedNeedsFourBits(encoding, params.get(DenseSite.WEIGHT), name);
    byte[] w = weights(s, encoding, count, name + " weights");
    int[] bias = ints(s, nOut, name + " bias");
    try {
      return new DenseLayer(nIn, nOut, relu, params, w, bias, input, dense);
    } catch (DqInputException e) {
      throw new DqInputException(name + ": " + e.getMessage(), e);
    }
  }

  private static OutputHead head(ByteCursor s, String name) {
    int nIn = s.u32AtMost(GcnLayer.MAX_EXACT_NIN, name + " nIn");
    int classes = s.u32AtMost(QuantizedModel.MAX_CLASSES, name + " classes");
    int encoding = encoding(s, name);
    for (int i = 0; i < 3; i++) {
      reserved(s, name + " reserved byte");
    }
    long count = (long) nIn * classes;
    long expected = ModelFormat.HEAD_FIXED_BYTES + ModelFormat.PARAMS_BYTES
        + ModelFormat.weightBytes(encoding, count) + 4L * classes;
    expectLength(s, name, ModelFormat.HEAD_FIXED_BYTES, expected,
        "nIn=" + nIn + ", classes=" + classes + " and weight encoding " + encoding);
    QuantParams wp = params(s, name + " weight parameters");
    packedNeedsFourBits(encoding, wp, name);
    byte[] w = weights(s, encoding, count, name + " weights");
    int[] bias = ints(s, classes, name + " bias");
    try {
      return new OutputHead(nIn, classes, wp, w, bias);
    } catch (DqInputException e) {
      throw new DqInputException(name + ": " + e.getMessage(), e);
    }
  }

  private static boolean flags(ByteCursor s, String name) {
    int at = s.position();
    int flags = s.u8(name + " flags");
    if ((flags & ~ModelFormat.FLAG_RELU) != 0) {
      throw new DqInputException(name + " flags at offset " + at + " are " + flags
          + "; only bit 0 (relu) is defined");
    }
    return flags != 0;
  }

  private static int encoding(ByteCursor s, String name) {
    int at = s.position();
    int encoding = s.u8(name + " weight encoding");
    if (encoding != ModelFormat.WEIGHTS_INT8 && encoding != ModelFormat.WEIGHTS_INT4_PACKED) {
      throw new DqInputException(name + " weight encoding at offset " + at + " is " + encoding
          + ", expected 1 (int8) or 2 (int4 packed)");
    }
    return encoding;
  }

  private static void reserved(ByteCursor s, String field) {
    if (s.u8(field) != 0) {
      throw new DqInputException(field + " at offset " + (s.position() - 1) + " must be 0");
    }
  }

  /** The section's length against what its counts need, before anything is allocated. */
  private static void expectLength(ByteCursor s, String name, long fixedRead, long expected,
      String because) {
    if (s.remaining() != expected - fixedRead) {
      throw new DqInputException(name + " is " + (s.remaining() + fixedRead) + " bytes long, but "
          + because + " need " + expected);
    }
  }

  private static void packedNeedsFourBits(int encoding, QuantParams w, String name) {
    if (encoding == ModelFormat.WEIGHTS_INT4_PACKED && w.bits() > 4) {
      throw new DqInputException(name + ": int4-packed weights with " + w.bits() + "-bit weight "
          + "quantization");
    }
  }

  private static byte[] weights(ByteCursor s, int encoding, long count, String field) {
    int at = s.position();
    byte[] raw = s.bytes(ModelFormat.weightBytes(encoding, count), field);
    return encoding == ModelFormat.WEIGHTS_INT4_PACKED
        ? Int4Packing.unpack(raw, (int) count, field + " at offset " + at) : raw;
  }

  private static int[] ints(ByteCursor s, int count, String field) {
    s.require(4L * count, field);
    int[] v = new int[count];
    for (int j = 0; j < count; j++) {
      v[j] = s.i32(field + " " + j);
    }
    return v;
  }

  /** The next section, which must carry {@code tag}; a cursor over exactly its body. */
  private static ByteCursor section(ByteCursor in, int tag, String name) {
    int at = in.position();
    int actual = in.i32(name + " tag");
    if (actual != tag) {
      throw new DqInputException("expected section " + ModelFormat.tagName(tag) + " at offset " + at
          + ", found '" + ModelFormat.tagName(actual) + "'");
    }
    int length = in.u32AtMost(Math.max(0, in.remaining() - 4L), name + " length");
    return in.slice(length, name);
  }

  private static void end(ByteCursor s, String name) {
    if (s.remaining() != 0) {
      throw new DqInputException(name + " has " + s.remaining() + " unread bytes at offset "
          + s.position());
    }
  }

  private static GcnLayer gcnLayer(ByteCursor s, String name) {
    int nIn = s.u32AtMost(GcnLayer.MAX_EXACT_NIN, name + " nIn");
    int nOut = s.u32AtMost(GcnLayer.MAX_WIDTH, name + " nOut");
    int flagsAt = s.position();
    int flags = s.u8(name + " flags");
    if ((flags & ~ModelFormat.FLAG_RELU) != 0) {
      throw new DqInputException(name + " flags at offset " + flagsAt + " are " + flags
          + "; only bit 0 (relu) is defined");
    }
    int encodingAt = s.position();
    int encoding = s.u8(name + " weight encoding");
    if (encoding != ModelFormat.WEIGHTS_INT8 && encoding != ModelFormat.WEIGHTS_INT4_PACKED) {
      throw new DqInputException(name + " weight encoding at offset " + encodingAt + " is "
          + encoding + ", expected 1 (int8) or 2 (int4 packed)");
    }
    int biasShift = s.u8(name + " bias shift");
    if (s.u8(name + " reserved byte") != 0) {
      throw new DqInputException(name + " reserved byte at offset " + (s.position() - 1)
          + " must be 0");
    }
    long count = (long) nIn * nOut;
    long expected = ModelFormat.GCN_FIXED_BYTES
        + (long) GcnSite.values().length * ModelFormat.PARAMS_BYTES
        + (long) ModelFormat.MULTIPLIERS * ModelFormat.MULTIPLIER_BYTES
        + ModelFormat.weightBytes(encoding, count) + 4L * nOut;
    long fixedRead = ModelFormat.GCN_FIXED_BYTES;
    if (s.remaining() != expected - fixedRead) {
      throw new DqInputException(name + " is " + (s.remaining() + fixedRead) + " bytes long, but nIn="
          + nIn + ", nOut=" + nOut + " and weight encoding " + encoding + " need " + expected);
    }
    Map<GcnSite, QuantParams> params = new EnumMap<>(GcnSite.class);
    for (GcnSite site : GcnSite.values()) {
      params.put(site, params(s, name + " " + site + " parameters"));
    }
    FixedPointMultiplier[] m = new FixedPointMultiplier[ModelFormat.MULTIPLIERS];
    String[] names = {"input", "xw", "message", "aggregate", "output"};
    for (int i = 0; i < m.length; i++) {
      m[i] = multiplier(s, name + " " + names[i] + " multiplier", i == 0);
    }
    QuantParams w = params.get(GcnSite.WEIGHT);
    if (encoding == ModelFormat.WEIGHTS_INT4_PACKED && w.bits() > 4) {
      throw new DqInputException(name + ": int4-packed weights with " + w.bits() + "-bit weight "
          + "quantization");
    }
    int weightsAt = s.position();
    byte[] raw = s.bytes(ModelFormat.weightBytes(encoding, count), name + " weights");
    byte[] codes = encoding == ModelFormat.WEIGHTS_INT4_PACKED
        ? Int4Packing.unpack(raw, (int) count, name + " weights at offset " + weightsAt) : raw;
    int[] bias = new int[nOut];
    for (int j = 0; j < nOut; j++) {
      bias[j] = s.i32(name + " bias " + j);
    }
    try {
      return new GcnLayer(nIn, nOut, (flags & ModelFormat.FLAG_RELU) != 0, params, codes, bias,
          biasShift, m[0], m[1], m[2], m[3], m[4]);
    } catch (DqInputException e) {
      throw new DqInputException(name + ": " + e.getMessage(), e);
    }
  }

  private static QuantParams params(ByteCursor s, String field) {
    int at = s.position();
    int bits = s.u8(field + " bits");
    int signed = s.u8(field + " signed");
    int zeroPoint = s.i16(field + " zero point");
    float scale = Float.intBitsToFloat(s.i32(field + " scale"));
    if (signed > 1) {
      throw new DqInputException(field + " at offset " + at + ": signed flag is " + signed
          + ", must be 0 or 1");
    }
    try {
      return QuantParams.of(bits, signed == 1, scale, zeroPoint);
    } catch (DqInputException e) {
      throw new DqInputException(field + " at offset " + at + ": " + e.getMessage(), e);
    }
  }

  /** A multiplier; all zero means absent, which only the optional one may be. */
  private static FixedPointMultiplier multiplier(ByteCursor s, String field, boolean optional) {
    int at = s.position();
    int m0 = s.i32(field + " m0");
    int shift = s.i32(field + " shift");
    if (m0 == 0 && shift == 0 && optional) {
      return null;
    }
    try {
      return FixedPointMultiplier.of(m0, shift);
    } catch (DqInputException e) {
      throw new DqInputException(field + " at offset " + at + ": " + e.getMessage(), e);
    }
  }
}
