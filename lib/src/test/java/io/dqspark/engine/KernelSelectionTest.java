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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Which kernels a JVM runs: oneDNN's dense product over the vector kernels under the build's flags
 * and class path (conf/java17.args adds the module, lib depends on dnnl) where its self-check
 * passes on this CPU, the vector ones where it is refused (oneDNN capped at AVX2 shows it on any
 * machine), without the dnnl jars or with {@code -Ddq.engine.native=false}, scalar when forced by
 * the property or when the module is absent; each checked in a fresh JVM because the choice is
 * made once per JVM.
 */
class KernelSelectionTest {
  @Test
  void thisJvmRunsTheVectorKernelsAndOneDnnOnlyWhereExact() {
    System.out.println("engine: " + Kernels.report());
    assertTrue(Kernels.vectorized(), Kernels.description());
    assertEquals(Kernels.nativeDense() ? "dnnl" : "vector", Kernels.int8().name());
    assertEquals(Kernels.nativeDense(), Kernels.nativeInt8().isPresent(), Kernels.nativeStatus());
    assertEquals("vector", Kernels.javaInt8().name());
    assertEquals("vector", Kernels.fp32().name());
    assertEquals("scalar", Kernels.scalarInt8().name());
    assertTrue(Kernels.description().contains(Kernels.nativeStatus()), Kernels.description());
  }

  @Test
  void thisJvmRunsOneDnnWhereTheSelfCheckPassed() {
    EngineTestData.nativeOrSkip();
    assertTrue(Kernels.nativeDense(), Kernels.description());
    assertEquals("dnnl", Kernels.int8().name());
    assertTrue(Kernels.description().startsWith("oneDNN int8 matmul ("), Kernels.description());
    assertTrue(Kernels.description().contains("self-check: exact on this CPU"), Kernels.description());
  }

  @Test
  void propertyKeepsOneDnnOut() throws Exception {
    List<String> out = runSelfCheckWith(System.getProperty("java.class.path"),
        "--add-modules=jdk.incubator.vector", "-Ddq.engine.native=false");
    assertTrue(out.contains("int8=vector fp32=vector"), out.toString());
    assertTrue(out.stream().anyMatch(l -> l.contains("oneDNN off: -Ddq.engine.native=false")),
        out.toString());
    assertTrue(out.contains("agree=true"), out.toString());
  }

  /** The child makes the same choice as this JVM (same CPU, same class path) and stays exact. */
  @Test
  void oneDnnInAFreshJvmAgreesWithScalar() throws Exception {
    List<String> out = runSelfCheckWith(System.getProperty("java.class.path"),
        "--add-modules=jdk.incubator.vector");
    assertTrue(out.contains(Kernels.nativeDense() ? "int8=dnnl fp32=vector" : "int8=vector fp32=vector"),
        out.toString());
    assertTrue(out.stream().anyMatch(l -> l.startsWith("description=") && l.contains(Kernels.nativeStatus())),
        out.toString());
    assertTrue(out.contains("agree=true"), out.toString());
  }

  /**
   * oneDNN capped at AVX2 ({@code ONEDNN_MAX_CPU_ISA}) picks {@code gemm:jit}, whose u8 x s8 pairs
   * saturate in 16 bits, as on an AVX2-only CPU: the self-check refuses it, says why, and the
   * pure-Java kernels that run instead agree with the scalar reference.
   */
  @Test
  void oneDnnCappedAtAvx2IsRefusedAndTheFallbackIsExact() throws Exception {
    Assumptions.assumeFalse(Kernels.nativeStatus().startsWith("oneDNN unavailable"), Kernels.nativeStatus());
    List<String> out = runSelfCheckWith(Map.of("ONEDNN_MAX_CPU_ISA", "AVX2", "DNNL_MAX_CPU_ISA", "AVX2"),
        System.getProperty("java.class.path"), "--add-modules=jdk.incubator.vector");
    System.out.println("oneDNN capped at AVX2: " + out);
    assertTrue(out.contains("int8=vector fp32=vector"), out.toString());
    assertTrue(out.stream().anyMatch(l -> l.startsWith("description=vector kernels: ")
        && l.contains("; oneDNN int8 matmul (gemm:jit) refused: self-check differs from the scalar reference at ")
        && l.contains("; using pure-Java kernels (vector)")), out.toString());
    assertTrue(out.contains("agree=true"), out.toString());
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
    // the child's class path has no dnnl jars: the pure-Java kernels, and why
    assertTrue(out.contains("int8=vector fp32=vector"), out.toString());
    assertTrue(out.stream().anyMatch(l -> l.contains("oneDNN unavailable")), out.toString());
    assertTrue(out.contains("agree=true"), out.toString());
  }

  /** A child JVM on the engine's classes and its logging API only (no dnnl jars). */
  private static List<String> runSelfCheck(String... jvmArgs) throws IOException, InterruptedException {
    return runSelfCheckWith(null, jvmArgs);
  }

  /** A child JVM on {@code extraClassPath} (when not null) besides the engine's classes. */
  private static List<String> runSelfCheckWith(String extraClassPath, String... jvmArgs)
      throws IOException, InterruptedException {
    return runSelfCheckWith(Map.of(), extraClassPath, jvmArgs);
  }

  /** The same with {@code env} added to the child's environment. */
  private static List<String> runSelfCheckWith(Map<String, String> env, String extraClassPath,
      String... jvmArgs) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of(jvmArgs));
    cmd.add("-cp");
    String own = String.join(File.pathSeparator, location(Kernels.class), location(KernelSelfCheck.class),
        location(org.junit.jupiter.api.Assumptions.class), location(org.opentest4j.TestAbortedException.class),
        location(org.slf4j.LoggerFactory.class));
    cmd.add(extraClassPath == null ? own : own + File.pathSeparator + extraClassPath);
    cmd.add(KernelSelfCheck.class.getName());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
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
