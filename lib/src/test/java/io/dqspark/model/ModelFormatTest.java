package io.dqspark.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dqspark.quant.QuantParams;
import io.dqspark.util.DqInputException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Round trips, the committed fixture, and targeted corruptions of the .dq8 format. */
class ModelFormatTest {
  private static final String FIXTURE = "/models/gcn-v1.dq8";
  private static final String GIN_FIXTURE = "/models/gin-v2.dq8";
  private static final String GAT_FIXTURE = "/models/gat-v3.dq8";

  @Test
  void roundTripsThroughBytesAndFiles(@TempDir Path dir) throws IOException {
    QuantizedModel m = TinyModels.gcn();
    byte[] bytes = ModelWriter.toBytes(m);
    QuantizedModel back = ModelReader.read(bytes);
    assertEquals(m, back);
    assertArrayEquals(bytes, ModelWriter.toBytes(back), "writing is deterministic");
    Path f = dir.resolve("model.dq8");
    ModelWriter.write(m, f);
    assertEquals(m, ModelReader.read(f));
    assertEquals(m, ModelReader.read(new ByteArrayInputStream(bytes)));
  }

  @Test
  void int4WeightsArePackedTwoPerByte() {
    GcnModel m = TinyModels.gcn();
    GcnLayer first = m.layers().get(0);
    assertEquals(4, first.params(GcnSite.WEIGHT).bits());
    byte[] codes = first.weights();
    for (byte c : codes) {
      assertTrue(c >= -8 && c <= 7);
    }
    byte[] packed = Int4Packing.pack(codes);
    assertEquals(8, packed.length); // 15 codes
    assertArrayEquals(codes, Int4Packing.unpack(packed, 15, "test"));
    // an 8-bit-weight model of the same shape is 15 - 8 = 7 bytes longer
    QuantizedModel wide = new GcnModel(m.provenance(), java.util.List.of(
        TinyModels.layer(5, 3, true, 8, false, null, 3), m.layers().get(1)));
    assertEquals(ModelWriter.toBytes(m).length + 7, ModelWriter.toBytes(wide).length);
  }

  /** The committed fixture still reads as the same model, value for value. */
  @Test
  void readsTheCommittedFixture() throws IOException {
    byte[] bytes;
    try (InputStream in = ModelFormatTest.class.getResourceAsStream(FIXTURE)) {
      assertTrue(in != null, "fixture " + FIXTURE + " is on the test class path");
      bytes = in.readAllBytes();
    }
    GcnModel m = assertInstanceOf(GcnModel.class, ModelReader.read(bytes));
    assertEquals("gcn", m.architecture());
    assertEquals("tiny", m.provenance().get("dataset"));
    assertEquals("fixture \u2013 unicode ok", m.provenance().get("note"));
    assertEquals(2, m.layers().size());
    GcnLayer a = m.layers().get(0);
    GcnLayer b = m.layers().get(1);
    assertEquals(5, a.nIn());
    assertEquals(3, a.nOut());
    assertTrue(a.relu());
    assertEquals(3, b.nIn());
    assertEquals(2, b.nOut());
    assertTrue(!b.relu());
    assertArrayEquals(new byte[] {-5, 2, -7, 0, 7, -2, 5, -4, 3, -6, 1, -8, -1, 6, -3}, a.weights());
    assertArrayEquals(new byte[] {-117, -110, -103, -96, -89, -82}, b.weights());
    assertArrayEquals(new int[] {1003, -2003, 3003}, a.bias());
    assertArrayEquals(new int[] {1011, -2011}, b.bias());
    assertEquals(12, a.biasShift());
    assertNull(a.inputMultiplier());
    assertEquals(QuantParams.of(4, true, 0.08533333f, 1), a.params(GcnSite.WEIGHT));
    assertEquals(QuantParams.of(8, false, 0.006f, 0), a.params(GcnSite.INPUT));
    assertEquals(QuantParams.of(8, true, 0.030392157f, -21), b.params(GcnSite.OUTPUT));
    assertEquals(QuantParams.of(8, true, 0.003921569f, -128), b.params(GcnSite.NORM));
    assertEquals(1292158277, b.inputMultiplier().multiplier());
    assertEquals(-3, b.inputMultiplier().shift());
    assertEquals(a, TinyModels.gcn().layers().get(0));
    assertEquals(TinyModels.gcn(), m);
    assertEquals(1, bytes[8], "the fixture is a version 1 file");
    byte[] rewritten = ModelWriter.toBytes(m);
    assertEquals(ModelFormat.VERSION, rewritten[8], "the writer writes the current version");
    assertEquals(bytes.length + 2, rewritten.length, "version 2 adds the task and a reserved byte");
    assertEquals(m, ModelReader.read(rewritten));
  }

  /** The committed version 2 GIN fixture reads as {@link TinyModels#gin}, and the writer reproduces it. */
  @Test
  void readsTheCommittedGinFixture() throws IOException {
    byte[] bytes;
    try (InputStream in = ModelFormatTest.class.getResourceAsStream(GIN_FIXTURE)) {
      assertTrue(in != null, "fixture " + GIN_FIXTURE + " is on the test class path");
      bytes = in.readAllBytes();
    }
    GinModel m = assertInstanceOf(GinModel.class, ModelReader.read(bytes));
    assertEquals("gin", m.architecture());
    assertEquals(ModelTask.GRAPH, m.task());
    assertEquals(2, m.layers().size());
    GinLayer a = m.layers().get(0);
    assertEquals(3, a.nIn());
    assertEquals(4, a.hidden());
    assertEquals(-0.25f, a.eps());
    assertNull(a.messageMultiplier());
    assertNull(a.selfMultiplier());
    GinLayer b = m.layers().get(1);
    assertEquals(4, b.params(GinSite.LIN2_WEIGHT).bits());
    assertEquals(0.125f, b.eps());
    assertEquals(new GraphReadout(GraphReadout.Pooling.MEAN, 16), m.readout());
    assertEquals(1, m.denseLayers().size());
    assertEquals(2, m.classes());
    assertArrayEquals(new int[] {-5000, 4200}, m.head().bias());
    assertEquals(TinyModels.gin(), m);
    assertArrayEquals(bytes, ModelWriter.toBytes(m), "the writer still produces the fixture");
  }

  @Test
  void ginModelsRoundTrip() {
    for (QuantizedModel m : new QuantizedModel[] {TinyModels.gin(), TinyModels.nodeGin()}) {
      byte[] bytes = ModelWriter.toBytes(m);
      QuantizedModel back = ModelReader.read(bytes);
      assertEquals(m, back);
      assertEquals(m.task(), back.task());
      assertArrayEquals(bytes, ModelWriter.toBytes(back), "writing is deterministic");
    }
    // the second layer's 4-bit weights are packed: 16 + 16 codes take 16 bytes, not 32
    GinModel m = TinyModels.gin();
    GinLayer wide = TinyModels.ginLayer(4, 4, true, 8, false, 0.125f,
        m.layers().get(0).params(GinSite.OUTPUT), 9);
    QuantizedModel unpacked = new GinModel(ModelTask.GRAPH, m.provenance(),
        java.util.List.of(m.layers().get(0), wide), m.readout(), m.denseLayers(), m.head());
    assertEquals(ModelWriter.toBytes(m).length + 16, ModelWriter.toBytes(unpacked).length);
  }

  /** The committed version 3 GAT fixture reads as {@link TinyModels#gat}, and the writer reproduces it. */
  @Test
  void readsTheCommittedGatFixture() throws IOException {
    byte[] bytes;
    try (InputStream in = ModelFormatTest.class.getResourceAsStream(GAT_FIXTURE)) {
      assertTrue(in != null, "fixture " + GAT_FIXTURE + " is on the test class path");
      bytes = in.readAllBytes();
    }
    assertEquals(3, bytes[8], "the fixture is a version 3 file");
    GatModel m = assertInstanceOf(GatModel.class, ModelReader.read(bytes));
    assertEquals("gat", m.architecture());
    assertEquals(ModelTask.NODE, m.task());
    GatLayer a = m.layers().get(0);
    assertEquals(2, a.heads());
    assertTrue(a.concat());
    assertEquals(GatLayer.Activation.ELU, a.activation());
    assertEquals(4, a.params(GatSite.ATTENTION).bits());
    GatLayer b = m.layers().get(1);
    assertEquals(4, b.nIn());
    assertEquals(3, b.nOut());
    assertEquals(3, m.classes());
    assertEquals(TinyModels.gat(), m);
    assertArrayEquals(bytes, ModelWriter.toBytes(m), "the writer still produces the fixture");
  }

  /** A GAT section needs version 3: the same payload labelled version 2 is refused by name. */
  @Test
  void gatNeedsVersionThree() {
    byte[] file = ModelWriter.toBytes(TinyModels.gat());
    file[8] = 2;
    assertMessage(file, "unknown architecture 'gat' in format version 2");
    assertEquals(2, ModelWriter.toBytes(TinyModels.gin())[8], "GIN files stay version 2");
  }

  /**
   * Regenerates the GIN and GAT fixtures: {@code
   * -Ddq.writeFixture=lib/src/test/resources/models/gin-v2.dq8} and {@code
   * -Ddq.writeGatFixture=lib/src/test/resources/models/gat-v3.dq8}. (The version 1 GCN fixture is
   * frozen: today's writer writes version 2.)
   */
  @Test
  void writeFixtureWhenAsked() throws IOException {
    String target = System.getProperty("dq.writeFixture");
    if (target != null) {
      Files.write(Paths.get(target), ModelWriter.toBytes(TinyModels.gin()));
    }
    String gat = System.getProperty("dq.writeGatFixture");
    if (gat != null) {
      Files.write(Paths.get(gat), ModelWriter.toBytes(TinyModels.gat()));
    }
  }

  @Test
  void namesWhatIsWrong() {
    byte[] good = ModelWriter.toBytes(TinyModels.gcn());
    assertMessage(Arrays.copyOf(good, 5), "magic");
    byte[] magic = good.clone();
    magic[1] = 'X';
    assertMessage(magic, "magic");
    byte[] version = good.clone();
    version[8] = 4;
    assertMessage(version, "version");
    assertMessage(Arrays.copyOf(good, good.length - 1), "payload length");
    byte[] crc = good.clone();
    crc[good.length - 1] ^= 1;
    assertMessage(crc, "checksum");
    byte[] longer = Arrays.copyOf(good, good.length + 3);
    assertMessage(longer, "payload length");
  }

  @Test
  void namesWhatIsWrongInGinSections() {
    byte[] good = ModelWriter.toBytes(TinyModels.gin());
    int meta = ModelFormat.HEADER_BYTES + ModelFormat.SECTION_HEADER_BYTES;
    int task = meta + 2 + 3 + 2; // architecture length, "gin", layer count
    assertEquals(ModelTask.GRAPH.code(), good[task]);
    byte[] badTask = good.clone();
    badTask[task] = 7;
    assertMessage(fixCrc(badTask), "task");
    byte[] nodeTask = good.clone();
    nodeTask[task] = (byte) ModelTask.NODE.code(); // then a POOL section follows where HEAD belongs
    assertMessage(fixCrc(nodeTask), "expected section HEAD");
    // a version 1 file cannot hold a GIN model: same payload, version 1 header
    byte[] v1 = good.clone();
    v1[8] = 1;
    assertMessage(v1, "");
    int pool = indexOf(good, "POOL");
    byte[] pooling = good.clone();
    pooling[pool + 8] = 3;
    assertMessage(fixCrc(pooling), "pooling");
    byte[] fraction = good.clone();
    fraction[pool + 9] = 24;
    assertMessage(fixCrc(fraction), "fraction bits");
    int gin = indexOf(good, "GIN1");
    byte[] eps = good.clone();
    for (int i = 0; i < 4; i++) {
      eps[gin + 8 + 12 + i] = (byte) (Float.floatToIntBits(Float.NaN) >>> (8 * i));
    }
    assertMessage(fixCrc(eps), "eps");
    byte[] hidden = good.clone();
    hidden[gin + 8 + 4] = 5;
    assertMessage(fixCrc(hidden), "hidden=5");
  }

  private static int indexOf(byte[] b, String tag) {
    byte[] t = tag.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    outer:
    for (int i = ModelFormat.HEADER_BYTES; i + 4 <= b.length; i++) {
      for (int k = 0; k < 4; k++) {
        if (b[i + k] != t[k]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError(tag + " not found");
  }

  private static byte[] fixCrc(byte[] b) {
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(b, ModelFormat.HEADER_BYTES, b.length - ModelFormat.HEADER_BYTES);
    int v = (int) crc.getValue();
    for (int k = 0; k < 4; k++) {
      b[16 + k] = (byte) (v >>> (8 * k));
    }
    return b;
  }

  private static void assertMessage(byte[] file, String fragment) {
    DqInputException e = assertThrows(DqInputException.class, () -> ModelReader.read(file));
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }
}
