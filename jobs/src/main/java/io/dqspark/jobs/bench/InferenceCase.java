package io.dqspark.jobs.bench;

import io.dqspark.engine.Kernels;
import java.util.ArrayList;
import java.util.List;

/**
 * One row group of {@code bench inference}: a dataset, the engines that score it (each a full
 * forward pass over the same input), the model files' sizes, and notes (what was trained, what was
 * skipped and why). A new architecture adds a builder that returns one of these (see
 * {@link GcnCases}, {@link GinCases}).
 */
record InferenceCase(String name, String graph, List<Engine> engines, ModelSizes sizes,
    List<String> notes) {
  /**
   * An engine to time; {@code graph} names its input when it differs from the case's, {@code
   * kernels} says which arithmetic and kernels it runs.
   */
  record Engine(String name, String graph, String kernels, Runnable forward) {}

  /** On-disk sizes in bytes: the .dq8 file, DL4J's ModelSerializer zip, raw float32 parameters. */
  record ModelSizes(long dq8, long dl4jZip, long rawFloat32) {}

  /**
   * The engines every case times on its main graph: int8 in the model's default arithmetic, int8
   * in the exact arithmetic where that differs ({@code exact} null otherwise), and the FP32 engine.
   */
  static List<Engine> engines(String graph, Runnable int8, String int8Kernels, Runnable exact,
      String exactKernels, Runnable fp32) {
    List<Engine> engines = new ArrayList<>();
    engines.add(new Engine("int8", graph, int8Kernels, int8));
    if (exact != null) {
      engines.add(new Engine("int8 exact", graph, exactKernels, exact));
    }
    engines.add(new Engine("fp32", graph, fp32Kernels(), fp32));
    return engines;
  }

  static String fp32Kernels() {
    return Kernels.fp32().name() + " fp32 kernels";
  }

  static String dl4jKernels() {
    return "ND4J " + org.nd4j.linalg.factory.Nd4j.getBackend().getClass().getSimpleName()
        + ", OMP_NUM_THREADS=" + System.getenv("OMP_NUM_THREADS");
  }

  /** The note saying on how many {@code items} (nodes, graphs) two engines' classes agree. */
  static String sameClass(int[] int8, int[] fp32, String items) {
    int same = 0;
    for (int i = 0; i < int8.length; i++) {
      same += int8[i] == fp32[i] ? 1 : 0;
    }
    return String.format("int8 and fp32 engines predict the same class on %d of %d %s (%.2f%%)",
        same, int8.length, items, 100.0 * same / int8.length);
  }
}
