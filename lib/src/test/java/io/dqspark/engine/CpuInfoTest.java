package io.dqspark.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CPU line of benchmark and scoring reports, from Linux x86, Linux Arm and elsewhere. */
class CpuInfoTest {
  @Test
  void x86ModelAndVectorExtensionsOfTheFirstCore() {
    CpuInfo c = CpuInfo.parse(List.of(
        "processor\t: 0",
        "vendor_id\t: AuthenticAMD",
        "model name\t: AMD EPYC 7B13 64-Core Processor",
        "flags\t\t: fpu sse sse2 sse4_1 sse4_2 avx fma avx2 bmi2",
        "",
        "processor\t: 1",
        "model name\t: something else",
        "flags\t\t: avx512f avx512_vnni"), "amd64");
    assertEquals("AMD EPYC 7B13 64-Core Processor", c.model());
    assertEquals(List.of("sse4_2", "avx", "avx2", "fma"), c.extensions());
    assertTrue(c.has("avx2"));
    assertFalse(c.has("avx512_vnni"));
    assertTrue(c.summary().startsWith("CPU AMD EPYC 7B13 64-Core Processor (sse4_2 avx avx2 fma), "), c.summary());
  }

  @Test
  void armFeaturesWithoutAModelName() {
    CpuInfo c = CpuInfo.parse(List.of("processor\t: 0", "Features\t: fp asimd evtstrm asimddp sve",
        "CPU part\t: 0xd40"), "aarch64");
    assertEquals("unknown (aarch64)", c.model());
    assertEquals(List.of("asimd", "asimddp", "sve"), c.extensions());
  }

  @Test
  void unreadableCpuinfoSaysUnknown() {
    CpuInfo c = CpuInfo.read(Path.of("/nonexistent/cpuinfo"), "ppc64le");
    assertEquals("unknown (ppc64le)", c.model());
    assertNull(c.extensions());
    assertFalse(c.has("avx2"));
    assertTrue(c.summary().startsWith("CPU unknown (ppc64le) (vector extensions unknown), "), c.summary());
  }

  @Test
  void thisMachineAndTheKernelsInOneLine() {
    String report = Kernels.report();
    System.out.println(report);
    assertTrue(report.startsWith(CpuInfo.get().summary() + "; kernels: "), report);
    assertTrue(report.endsWith(Kernels.description()), report);
  }
}
