package io.dqspark.engine;

import java.util.Optional;

/**
 * Picks the kernel implementations once per JVM. Integer: oneDNN's int8 matmul for the dense
 * product ({@code DnnlInt8Kernels}, VNNI where the CPU has it) on top of the pure-Java kernels when
 * its native library loads, unless {@code -D}{@value #NATIVE_PROPERTY}{@code =false}; FP32 and every
 * other integer kernel: the Vector API ones when the
 * {@code jdk.incubator.vector} module is in the boot layer ({@code --add-modules
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
   * The oneDNN dense product over the best pure-Java kernels, if its native library loads here.
   * Reflection keeps this class loadable without the dnnl jars on the class path.
   */
  private static final class NativeAvailability {
    static final Int8Kernels INT8;
    static final String STATUS;

    static {
      Int8Kernels k = null;
      String status;
      Int8Kernels java = VectorAvailability.INT8 != null ? VectorAvailability.INT8 : SCALAR_INT8;
      try {
        k = (Int8Kernels) Class.forName("io.dqspark.engine.DnnlInt8Kernels")
            .getDeclaredConstructor(Int8Kernels.class).newInstance(java);
        status = "oneDNN int8 matmul (" + k.getClass().getDeclaredMethod("implementation").invoke(k)
            + ") for dense products, " + java.name() + " kernels for the rest";
      } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        status = "oneDNN unavailable: " + cause;
        k = null;
      }
      INT8 = k;
      STATUS = status;
    }
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
    if (Selected.NATIVE) {
      return NativeAvailability.STATUS + "; " + VectorAvailability.STATUS;
    }
    if (Selected.VECTOR) {
      return VectorAvailability.STATUS + (Selected.NATIVE_ALLOWED ? "; " + NativeAvailability.STATUS
          : "; oneDNN off: -D" + NATIVE_PROPERTY + "=false");
    }
    return "scalar kernels: " + (Selected.FORCED_SCALAR ? "-D" + SCALAR_PROPERTY + "=true"
        : VectorAvailability.STATUS);
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

  /** The oneDNN-backed integer kernels whatever the properties say, or empty where they cannot load. */
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
