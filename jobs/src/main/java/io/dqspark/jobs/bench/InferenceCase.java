package io.dqspark.jobs.bench;

import java.util.List;

/**
 * One row group of {@code bench inference}: a dataset, the engines that score it (each a full
 * forward pass over the same input), the model files' sizes, and notes (what was trained, what was
 * skipped and why). A new architecture adds a builder that returns one of these (see
 * {@link GcnCases}, {@link GinCases}).
 */
record InferenceCase(String name, String graph, List<Engine> engines, ModelSizes sizes,
    List<String> notes) {
  /** An engine to time; {@code graph} names its input when it differs from the case's. */
  record Engine(String name, String graph, Runnable forward) {}

  /** On-disk sizes in bytes: the .dq8 file, DL4J's ModelSerializer zip, raw float32 parameters. */
  record ModelSizes(long dq8, long dl4jZip, long rawFloat32) {}
}
