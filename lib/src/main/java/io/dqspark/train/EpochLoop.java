package io.dqspark.train;

import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * The epoch protocol every run shares: one training pass, the epoch counter (LR schedules count
 * epochs), an evaluation forward, the best-validation bookkeeping and the listener; the network
 * ends holding the best epoch's parameters. Only the training pass's time is counted per epoch.
 */
final class EpochLoop {
  /** Validation and test scores of one evaluation forward. */
  record Evaluation(Scores validation, Scores test) {}

  /** What differs between node and graph tasks: how an epoch trains and how it is scored. */
  interface Task {
    void trainEpoch();

    Evaluation evaluate();
  }

  private EpochLoop() {}

  static RunResult run(ComputationGraph net, TrainingOptions o, Task task, EpochListener listener) {
    BestEpoch best = new BestEpoch();
    long trainingNanos = 0;
    int epochs = 0;
    for (int epoch = 0; epoch < o.epochs && !best.exhausted(epoch, o.patience); epoch++) {
      epochs++;
      long t0 = System.nanoTime();
      task.trainEpoch();
      net.incrementEpochCount();
      long stepNanos = System.nanoTime() - t0;
      trainingNanos += stepNanos;
      Evaluation e = task.evaluate();
      best.offer(epoch, e.validation(), e.test(), net.params());
      listener.epochDone(epoch, e.validation(), stepNanos / 1e9);
    }
    net.setParams(best.params());
    return new RunResult(best.test().accuracy(), best.validation().accuracy(),
        best.validation().loss(), best.epoch(), epochs, trainingNanos / 1e9 / epochs);
  }
}
