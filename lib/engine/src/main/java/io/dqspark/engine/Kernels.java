package io.dqspark.engine;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the kernel implementations once per JVM. Integer: oneDNN's int8 matmul for the dense
 * product ({@code DnnlInt8Kernels}) on top of the pure-Java kernels when its native library loads
 * and a self-check at first use finds it bit-identical to the scalar reference on this CPU
 * ({@link NativeSelfCheck}; without VNNI it is not, design §5), unless
 * {@code -D}{@value #NATIVE_PROPERTY}{@code =false}; a refusal is logged once with its reason,
 * which {@link #description()} repeats. FP32 and every other integer kernel: the Vector API ones
 * when the {@code jdk.incubator.vector} module is in the boot layer ({@code --add-modules
 * jdk.incubator.vector}, which conf/java17.args passes) and supports this CPU's vector shape,
 * else the scalar ones. {@code -Ddq.engine.scalar=true} forces scalar (for comparison, or to rule
 * the vector path out when chasing a problem). This class never names a Vector API type, so it
 * loads and falls back cleanly without the module.
 */
public final class Kernels {
  /** System property that, when {@code true}, selects the scalar kernels. */
  public static final String SCALAR_PROPERTY = "dq.engine.scalar";
  /** System property that, when {@code false}, keeps the native (oneDNN) dense product out. */
  public static final String NATIVE_PROPERTY = "dq.engine.native";

  private static final Logger LOG = LoggerFactory.getLogger(Kernels.class);
  private static final String VECTOR_MODULE = "jdk.incubator.vector";
  private static final Int8Kernels SCALAR_INT8 = new ScalarInt8Kernels();
  private static final FloatKernels SCALAR_FP32 = new ScalarFloatKernels();

  private Kernels() {}

  /** The vector kernels if this JVM can run them, found on first use. */
  private static final class VectorAvailability {
    static final Int8Kernels INT8;
    static final FloatKernels FP32;
    static final String STATUS;

    static {
      Int8Kernels int8 = null;
      FloatKernels fp32 = null;
      String status;
      if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
        status = VECTOR_MODULE + " is not in the boot layer (run with --add-modules " + VECTOR_MODULE + ")";
      } else {
        try {
          int8 = (Int8Kernels) instantiate("io.dqspark.engine.VectorInt8Kernels");
          fp32 = (FloatKernels) instantiate("io.dqspark.engine.VectorFloatKernels");
          status = "vector kernels: " + VectorInt8Kernels.intLanes() + " int32 lanes, requantization "
              + (VectorInt8Kernels.vectorRequantization() ? "on 8 x 64-bit lanes" : "scalar");
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
          int8 = null;
          fp32 = null;
          Throwable cause = e.getCause() != null ? e.getCause() : e;
          status = "vector kernels unavailable: " + cause;
        }
      }
      INT8 = int8;
      FP32 = fp32;
      STATUS = status;
    }

    private static Object instantiate(String className) throws ReflectiveOperationException {
      return Class.forName(className).getDeclaredConstructor().newInstance();
    }
  }

  /**
   * The oneDNN dense product over the best pure-Java kernels, if its native library loads here and
   * passes the self-check on this CPU; else null, and a status saying why, logged once (this
   * holder initialises once per JVM). Reflection keeps this class loadable without the dnnl jars.
   */
  private static final class NativeAvailability {
    static final Int8Kernels INT8;
    static final String STATUS;

    static {
      Int8Kernels java = VectorAvailability.INT8 != null ? VectorAvailability.INT8 : SCALAR_INT8;
      Int8Kernels loaded = null;
      String label = null;
      String status = null;
      try {
        loaded = (Int8Kernels) Class.forName("io.dqspark.engine.DnnlInt8Kernels")
            .getDeclaredConstructor(Int8Kernels.class).newInstance(java);
        label = "oneDNN int8 matmul (" + loaded.getClass().getDeclaredMethod("implementation").invoke(loaded) + ")";
      } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        status = "oneDNN unavailable: " + cause;
        LOG.info("{}; using pure-Java kernels", status);
        loaded = null;
      }
      Int8Kernels accepted = null;
      if (loaded != null) {
        Vetted v = vet(label, loaded, java);
        status = v.status();
        if (v.accepted()) {
          accepted = loaded;
          LOG.debug(status);
        } else {
          LOG.warn(status);
        }
      }
      INT8 = accepted;
      STATUS = status;
    }
  }

  /** What {@link #vet} decided: the kernels to run, whether they are the candidate, and why. */
  record Vetted(Int8Kernels kernels, boolean accepted, String status) {}

  /**
   * {@code candidate} (a native dense product named {@code label}) where {@link NativeSelfCheck}
   * finds it bit-identical to the scalar reference on this CPU, else {@code fallback}; the status
   * says which runs and, on refusal, the first value that differed.
   */
  static Vetted vet(String label, Int8Kernels candidate, Int8Kernels fallback) {
    String difference = NativeSelfCheck.firstDifference(candidate, SCALAR_INT8);
    if (difference == null) {
      return new Vetted(candidate, true, label + " for dense products (self-check: exact on this CPU), "
          + fallback.name() + " kernels for the rest");
    }
    return new Vetted(fallback, false, label + " refused: self-check differs from the scalar reference at "
        + difference + "; using pure-Java kernels (" + fallback.name() + ")");
  }

  /** The selection made for this JVM, read once. */
  private static final class Selected {
    static final boolean FORCED_SCALAR = Boolean.getBoolean(SCALAR_PROPERTY);
    static final boolean NATIVE_ALLOWED = !FORCED_SCALAR
        && !"false".equalsIgnoreCase(System.getProperty(NATIVE_PROPERTY, "true"));
    static final boolean VECTOR = !FORCED_SCALAR && VectorAvailability.INT8 != null;
    static final boolean NATIVE = NATIVE_ALLOWED && NativeAvailability.INT8 != null;
    static final Int8Kernels INT8 = NATIVE ? NativeAvailability.INT8
        : VECTOR ? VectorAvailability.INT8 : SCALAR_INT8;
    static final FloatKernels FP32 = VECTOR ? VectorAvailability.FP32 : SCALAR_FP32;
  }

  /** Whether {@link #int8()} and {@link #fp32()} are the Vector API kernels in this JVM. */
  public static boolean vectorized() {
    return Selected.VECTOR;
  }

  /** Whether {@link #int8()}'s dense products run on oneDNN in this JVM. */
  public static boolean nativeDense() {
    return Selected.NATIVE;
  }

  /** One line saying which kernels run and why, for logs and benchmark reports. */
  public static String description() {
    if (Selected.FORCED_SCALAR) {
      return "scalar kernels: -D" + SCALAR_PROPERTY + "=true";
    }
    return denseDescription() + "; default-mode fused kernels: " + FusedInt8Kernels.selected().name();
  }

  /** The exact mode's kernels: oneDNN's dense product where proven exact, and the Java kernels. */
  private static String denseDescription() {
    if (Selected.NATIVE) {
      return NativeAvailability.STATUS + "; " + VectorAvailability.STATUS;
    }
    String nativeStatus = Selected.NATIVE_ALLOWED ? NativeAvailability.STATUS
        : "oneDNN off: -D" + NATIVE_PROPERTY + "=false";
    return (Selected.VECTOR ? "" : "scalar kernels: ") + VectorAvailability.STATUS + "; " + nativeStatus;
  }

  /**
   * This machine's CPU, its vector extensions and {@link #description()}, in one line: what a
   * benchmark figure or a scoring log needs to be read on another machine.
   */
  public static String report() {
    return CpuInfo.get().summary() + "; kernels: " + description();
  }

  /**
   * Whether the native dense product loads and passed the self-check here, and why not, whatever
   * {@value #NATIVE_PROPERTY} says.
   */
  public static String nativeStatus() {
    return NativeAvailability.STATUS;
  }

  /** The integer kernels this JVM uses. */
  public static Int8Kernels int8() {
    return Selected.INT8;
  }

  /** The FP32 kernels this JVM uses. */
  public static FloatKernels fp32() {
    return Selected.FP32;
  }

  /** The scalar integer kernels: the bit-exact reference. */
  public static Int8Kernels scalarInt8() {
    return SCALAR_INT8;
  }

  public static FloatKernels scalarFp32() {
    return SCALAR_FP32;
  }

  /**
   * The oneDNN-backed integer kernels whatever the properties say, or empty where they cannot
   * load or the self-check refused them on this CPU ({@link #nativeStatus()} says which).
   */
  public static Optional<Int8Kernels> nativeInt8() {
    return Optional.ofNullable(NativeAvailability.INT8);
  }

  /** The best pure-Java integer kernels (vector, else scalar): the fallback of the native ones. */
  public static Int8Kernels javaInt8() {
    return VectorAvailability.INT8 != null && !Selected.FORCED_SCALAR ? VectorAvailability.INT8 : SCALAR_INT8;
  }

  /** The vector integer kernels whatever the property says, or empty where they cannot run. */
  public static Optional<Int8Kernels> vectorInt8() {
    return Optional.ofNullable(VectorAvailability.INT8);
  }

  public static Optional<FloatKernels> vectorFp32() {
    return Optional.ofNullable(VectorAvailability.FP32);
  }
}
