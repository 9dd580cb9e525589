package io.dqspark.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.dqspark.util.DqInputException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * Mutates a valid model file thousands of times (fixed seed) and requires every read to end in a
 * {@link DqInputException} or a valid model, never another exception, a hang or a large
 * allocation. Half the mutants get their CRC recomputed, so that the structural checks behind the
 * checksum are exercised too; a mutant that still carries the original CRC may only read back as
 * the original model.
 */
class ModelReaderFuzzTest {
  private static final int CASES = 6000;
  /** Per read: far below what any corrupt length field (up to 2^32 elements) would need. */
  private static final long ALLOCATION_LIMIT = 256L << 10;
  private static final int WARM_UP = 500;

  @Test
  void everyMutantFailsCleanlyOrReadsAsAValidModel() {
    assertTimeoutPreemptively(Duration.ofSeconds(120), () -> fuzz(TinyModels.gcn()));
  }

  /** The version 2 sections: GIN layers, pooling, a dense layer and the head. */
  @Test
  void everyGinMutantFailsCleanlyOrReadsAsAValidModel() {
    assertTimeoutPreemptively(Duration.ofSeconds(120), () -> fuzz(TinyModels.gin()));
  }

  /** The version 3 section: GAT layers, one with packed weights and attention vectors. */
  @Test
  void everyGatMutantFailsCleanlyOrReadsAsAValidModel() {
    assertTimeoutPreemptively(Duration.ofSeconds(120), () -> fuzz(TinyModels.gat()));
  }

  private void fuzz(QuantizedModel original) {
    byte[] good = ModelWriter.toBytes(original);
    int[] lengthFields = lengthFieldOffsets(good);
    SplittableRandom rnd = new SplittableRandom(20240607L);
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    int[] outcomes = new int[4]; // rejected raw, rejected after CRC fix, read raw, read after CRC fix
    long maxAllocated = 0;
    for (int i = 0; i < CASES; i++) {
      byte[] mutant = mutate(good, rnd, lengthFields);
      boolean fixCrc = rnd.nextBoolean();
      if (fixCrc) {
        fixCrc(mutant);
      }
      if (Arrays.equals(mutant, good)) {
        continue;
      }
      long before = threads.getThreadAllocatedBytes(tid);
      QuantizedModel m = null;
      try {
        m = ModelReader.read(mutant);
      } catch (DqInputException e) {
        assertTrue(e.getMessage() != null && !e.getMessage().isEmpty());
        outcomes[fixCrc ? 1 : 0]++;
      } catch (RuntimeException | Error e) {
        fail("case " + i + ": " + e + " instead of DqInputException for mutant "
            + Arrays.toString(mutant), e);
      }
      long allocated = threads.getThreadAllocatedBytes(tid) - before;
      if (allocated >= ALLOCATION_LIMIT) {
        // a path taken for the first time links its string concatenations once per JVM (hundreds
        // of KB); what a read itself allocates shows when the same mutant is read again
        allocated = allocationOfRead(threads, tid, mutant);
      }
      if (i >= WARM_UP) { // earlier reads also pay for class loading and first compilations
        maxAllocated = Math.max(maxAllocated, allocated);
        assertTrue(allocated < ALLOCATION_LIMIT, "case " + i + " allocated " + allocated + " bytes");
      }
      if (m != null) {
        outcomes[fixCrc ? 3 : 2]++;
        if (!fixCrc) {
          assertEquals(original, m, "case " + i + ": a mutant that passed the CRC must be benign");
        } else {
          assertEquals(m, ModelReader.read(ModelWriter.toBytes(m)), "case " + i);
        }
      }
    }
    System.out.printf("fuzz: %d cases; rejected %d (original CRC) + %d (CRC fixed); read %d + %d; "
        + "max allocation per read after warm-up %d bytes for a %d-byte file%n", CASES, outcomes[0], outcomes[1],
        outcomes[2], outcomes[3], maxAllocated, good.length);
    assertTrue(outcomes[1] > CASES / 4, "the structural checks were exercised");
  }

  private static long allocationOfRead(com.sun.management.ThreadMXBean threads, long tid, byte[] file) {
    long before = threads.getThreadAllocatedBytes(tid);
    try {
      ModelReader.read(file);
    } catch (DqInputException e) {
      // rejected again, as the first time
    }
    return threads.getThreadAllocatedBytes(tid) - before;
  }

  private static byte[] mutate(byte[] good, SplittableRandom rnd, int[] lengthFields) {
    byte[] b = good.clone();
    switch (rnd.nextInt(6)) {
      case 0: { // 1..4 bit flips
        int flips = 1 + rnd.nextInt(4);
        for (int k = 0; k < flips; k++) {
          int bit = rnd.nextInt(b.length * 8);
          b[bit >> 3] ^= (byte) (1 << (bit & 7));
        }
        return b;
      }
      case 1: // truncation
        return Arrays.copyOf(b, rnd.nextInt(b.length));
      case 2: { // insertion of 1..16 random bytes
        int at = rnd.nextInt(b.length + 1);
        byte[] extra = new byte[1 + rnd.nextInt(16)];
        rnd.nextBytes(extra);
        byte[] out = new byte[b.length + extra.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(extra, 0, out, at, extra.length);
        System.arraycopy(b, at, out, at + extra.length, b.length - at);
        return out;
      }
      case 3: { // deletion of 1..16 bytes
        int at = rnd.nextInt(b.length);
        int n = Math.min(1 + rnd.nextInt(16), b.length - at);
        byte[] out = new byte[b.length - n];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(b, at + n, out, at, b.length - at - n);
        return out;
      }
      case 4: { // a length or count field set to an edge value
        int at = lengthFields[rnd.nextInt(lengthFields.length)];
        int width = at < 0 ? 2 : 4;
        at = Math.abs(at) - 1;
        int old = width == 2 ? (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 : ByteBuffer.wrap(b, at, 4)
            .order(ByteOrder.LITTLE_ENDIAN).getInt();
        int[] choices = {0, 1, -1, old + 1, old - 1, old * 2, Integer.MAX_VALUE, Integer.MIN_VALUE,
            1 << 20, 33025, 65535, rnd.nextInt()};
        int v = choices[rnd.nextInt(choices.length)];
        for (int k = 0; k < width; k++) {
          b[at + k] = (byte) (v >>> (8 * k));
        }
        return b;
      }
      default: { // random bytes over a short run
        int at = rnd.nextInt(b.length);
        int n = Math.min(1 + rnd.nextInt(8), b.length - at);
        for (int k = 0; k < n; k++) {
          b[at + k] = (byte) rnd.nextInt(256);
        }
        return b;
      }
    }
  }

  /** Rewrites the header's CRC over whatever follows the header (when there is a header). */
  private static void fixCrc(byte[] b) {
    if (b.length < ModelFormat.HEADER_BYTES) {
      return;
    }
    CRC32 crc = new CRC32();
    crc.update(b, ModelFormat.HEADER_BYTES, b.length - ModelFormat.HEADER_BYTES);
    int v = (int) crc.getValue();
    for (int k = 0; k < 4; k++) {
      b[16 + k] = (byte) (v >>> (8 * k));
    }
  }

  /**
   * Offsets (+1) of the file's length and count fields, found by walking the valid file; negative
   * for 16-bit fields.
   */
  private static int[] lengthFieldOffsets(byte[] f) {
    ByteBuffer b = ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN);
    List<Integer> at = new ArrayList<>();
    at.add(12 + 1); // payload length
    int p = ModelFormat.HEADER_BYTES;
    at.add(p + 4 + 1); // META length
    int meta = p + 8;
    int end = meta + b.getInt(p + 4);
    at.add(-(meta + 1)); // architecture length
    int q = meta + 2 + (b.getShort(meta) & 0xffff);
    at.add(-(q + 1)); // layer count
    q += f[8] >= 2 ? 4 : 2; // version 2: task and a reserved byte follow
    at.add(q + 1); // provenance count
    int entries = b.getInt(q);
    q += 4;
    for (int i = 0; i < entries; i++) {
      at.add(-(q + 1));
      q += 2 + (b.getShort(q) & 0xffff);
      at.add(q + 1);
      q += 4 + b.getInt(q);
    }
    p = end;
    while (p < f.length) {
      at.add(p + 4 + 1); // section length
      at.add(p + 8 + 1); // nIn
      at.add(p + 12 + 1); // nOut
      p += 8 + b.getInt(p + 4);
    }
    return at.stream().mapToInt(Integer::intValue).toArray();
  }
}
