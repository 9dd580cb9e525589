package io.dqspark.engine;

/** Loads the vector GAT kernels by name, so that a JVM without the vector module still links. */
final class GatSelection {
  static final GatKernels SELECTED = select();

  private GatSelection() {}

  private static GatKernels select() {
    if (!Kernels.vectorized()) {
      return ScalarGatKernels.INSTANCE;
    }
    try {
      return (GatKernels) Class.forName("io.dqspark.engine.VectorGatKernels")
          .getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      return ScalarGatKernels.INSTANCE;
    }
  }
}
