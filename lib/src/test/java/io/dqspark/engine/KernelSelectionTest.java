package io.dqspark.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Which kernels a JVM runs: the vector ones under the build's flags (conf/java17.args adds the
 * module), scalar when forced by the property or when the module is absent; each checked in a
 * fresh JVM because the choice is made once per JVM.
 */
class KernelSelectionTest {
  @Test
  void thisJvmRunsTheVectorKernels() {
    System.out.println("engine: " + Kernels.description());
    assertTrue(Kernels.vectorized(), Kernels.description());
    assertEquals("vector", Kernels.int8().name());
    assertEquals("vector", Kernels.fp32().name());
    assertEquals("scalar", Kernels.scalarInt8().name());
    assertTrue(Kernels.description().startsWith("vector kernels: "), Kernels.description());
  }

  @Test
  void propertyForcesScalar() throws Exception {
    List<String> out = runSelfCheck("--add-modules=jdk.incubator.vector", "-Ddq.engine.scalar=true");
    assertTrue(out.contains("vectorized=false"), out.toString());
    assertTrue(out.contains("int8=scalar fp32=scalar"), out.toString());
    assertTrue(out.contains("description=scalar kernels: -Ddq.engine.scalar=true"), out.toString());
    assertTrue(out.contains("agree=true"), out.toString());
  }

  @Test
  void withoutTheModuleFallsBackToScalar() throws Exception {
    List<String> out = runSelfCheck();
    assertTrue(out.contains("vectorized=false"), out.toString());
    assertTrue(out.stream().anyMatch(l -> l.contains("jdk.incubator.vector is not in the boot layer")),
        out.toString());
    assertTrue(out.contains("agree=true"), out.toString());
  }

  /** 256-bit vectors (the AVX2 shape): 8 int lanes, scalar requantization; still bit-identical. */
  @Test
  void narrowerVectorsStillAgree() throws Exception {
    List<String> out = runSelfCheck("--add-modules=jdk.incubator.vector", "-XX:MaxVectorSize=32");
    assertTrue(out.contains("vectorized=true"), out.toString());
    assertTrue(out.stream().anyMatch(l -> l.contains("8 int32 lanes, requantization scalar")), out.toString());
    assertTrue(out.contains("agree=true"), out.toString());
  }

  private static List<String> runSelfCheck(String... jvmArgs) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of(jvmArgs));
    cmd.add("-cp");
    cmd.add(String.join(File.pathSeparator, location(Kernels.class), location(KernelSelfCheck.class),
        location(org.junit.jupiter.api.Assumptions.class), location(org.opentest4j.TestAbortedException.class)));
    cmd.add(KernelSelfCheck.class.getName());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "self-check JVM did not finish");
    assertEquals(0, p.exitValue(), text);
    return text.lines().toList();
  }

  private static String location(Class<?> c) {
    try {
      return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
