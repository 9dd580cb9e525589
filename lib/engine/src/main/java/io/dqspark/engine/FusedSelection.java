package io.dqspark.engine;

/** Loads the vector fused kernels by name, so that a JVM without the vector module still links. */
final class FusedSelection {
  static final FusedInt8Kernels SELECTED = select();

  private FusedSelection() {}

  private static FusedInt8Kernels select() {
    if (!Kernels.vectorized()) {
      return ScalarFusedInt8Kernels.INSTANCE;
    }
    try {
      return (FusedInt8Kernels) Class.forName("io.dqspark.engine.VectorFusedInt8Kernels")
          .getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      return ScalarFusedInt8Kernels.INSTANCE;
    }
  }
}
