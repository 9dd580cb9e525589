package io.dqspark.jobs.train;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dqspark.gnn.GraphTooLargeException;
import io.dqspark.graph.GraphLevel;
import io.dqspark.util.DqInputException;
import org.junit.jupiter.api.Test;

/**
 * A step that ran out of heap on an executor comes back to the driver as Spark's job failure,
 * which quotes the layer's message; the trainer turns it into an error naming the part.
 */
class PartTooLargeTest {
  private final StepPlan plan = new StepPlan(GraphLevel.NODE, 7, 1, false, null, null, true);

  @Test
  void aFailureQuotingTheLayerNamesThePartItsSizeAndTheSettings() {
    long key = StepKeys.key(7, 5, 3, 0); // epoch 5, part 3
    GraphTooLargeException layer = new GraphTooLargeException("gcn1", key, 140_000, 2_200_000, 64,
        1_700L << 20, new OutOfMemoryError("Java heap space"));
    // as Spark reports a task failure: its own summary, quoting the executor's exception
    org.apache.spark.SparkException spark = new org.apache.spark.SparkException("Job aborted due to stage failure: Task 1 in stage 4.0 failed 1"
        + " times, most recent failure: " + layer + "\n\tat io.dqspark.gnn.GcnVertexImpl.forward", null);
    for (Exception failure : new Exception[] {spark, new RuntimeException("wrapped", layer)}) {
      DqInputException e = PartTooLarge.explain(failure, plan, 4, 8, 8);
      assertTrue(e != null, failure.toString());
      String m = e.getMessage();
      assertTrue(m.startsWith("part 3 does not fit its executor: a training graph of 140,000 nodes and 2,200,000"
          + " edges"), m);
      assertTrue(m.contains("needs about 1,700 MB") && m.contains("the `parts` setting") && m.contains("now 8")
          && m.contains("spark.executor.memory") && !m.contains("\tat "), m);
    }
  }

  @Test
  void otherFailuresAreNotExplained() {
    Exception other = new org.apache.spark.SparkException("Job aborted due to stage failure: something else");
    assertNull(PartTooLarge.explain(other, plan, 0, 4, 8));
  }
}
