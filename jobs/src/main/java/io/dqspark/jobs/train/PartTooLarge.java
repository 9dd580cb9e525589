package io.dqspark.jobs.train;

import io.dqspark.gnn.GraphTooLargeException;
import io.dqspark.util.DqInputException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a training step that did not fit its executor into an error that names the part, its size
 * and the settings that fix it (issue 16). The layer reports the graph key of the example it was
 * given ({@link GraphTooLargeException}); the driver finds the part whose step key that is.
 */
final class PartTooLarge {
  private static final Pattern KEY = Pattern.compile("graph key (\\d+)");

  private PartTooLarge() {}

  /**
   * {@code failure} as a {@link DqInputException} naming the part, if a step of epochs
   * {@code [fromEpoch, toEpoch)} ran out of heap; else null. Spark reports a failed job as a
   * {@code SparkException}, which is checked, though Scala throws it undeclared.
   */
  static DqInputException explain(Throwable failure, StepPlan plan, int fromEpoch, int toEpoch,
      int parts) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String message = t.getMessage();
      if (message == null || !message.contains(GraphTooLargeException.MARK)) {
        continue; // the executor's exception itself, or Spark's summary quoting it
      }
      Matcher m = KEY.matcher(message);
      if (!m.find()) {
        continue;
      }
      int part = plan.partOfKey(Long.parseLong(m.group(1)), fromEpoch, toEpoch, parts);
      String detail = message.substring(message.indexOf(GraphTooLargeException.MARK));
      int end = detail.indexOf('\n');
      return new DqInputException((part < 0 ? "a part" : "part " + part) + " does not fit its executor: "
          + (end < 0 ? detail : detail.substring(0, end))
          + ". Use more parts (the `parts` setting when the train job prepares its shards, or bin/dq partition"
          + " --parts; now " + parts + ") or more memory per executor (spark.executor.memory; in local mode"
          + " DQ_DRIVER_MEMORY, which bin/dq passes as -Xmx)", failure);
    }
    return null;
  }
}
