package io.dqspark.export;

import io.dqspark.gnn.GraphInputs;
import io.dqspark.graph.GraphDataset;
import io.dqspark.graph.Split;
import io.dqspark.model.Arithmetic;
import io.dqspark.model.ModelTask;
import io.dqspark.model.QuantizedModel;
import java.util.Locale;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Chooses a node-level model's default arithmetic by measurement when it is exported (design
 * §5.6): the fast arithmetic stays the default only if, on the whole training graph, its
 * predictions agree with the fake-quant network's on at least 99% of the nodes and its test
 * accuracy is within 0.3 points; otherwise exact. The rule by architecture was measured on Cora;
 * graphs with hubs of hundreds of neighbours can miss it (a 50,000-node stochastic block model:
 * fast 78.86%, fake-quant and exact 76.73%), so each model is checked on its own data.
 */
public final class ArithmeticCheck {
  /** Share of nodes whose fast prediction must equal the fake-quant one. */
  public static final double MIN_AGREEMENT = 0.99;
  /** Largest test-accuracy difference, as a fraction. */
  public static final double MAX_ACCURACY_GAP = 0.003;

  /** What was measured and chosen; {@code agreement} is NaN when nothing was measured. */
  public record Outcome(Arithmetic chosen, double agreement, double fastAccuracy, double fakeQuantAccuracy,
      int nodes, String reason) {
    public String describe() {
      return Double.isNaN(agreement) ? chosen.label() + " (" + reason + ")"
          : String.format(Locale.ROOT, "%s (fast arithmetic agrees with fake-quant on %.2f%% of %d nodes,"
              + " test accuracy %.2f%% vs %.2f%%)", chosen.label(), 100 * agreement, nodes,
              100 * fastAccuracy, 100 * fakeQuantAccuracy);
    }
  }

  private ArithmeticCheck() {}

  /**
   * The model with its measured arithmetic in the provenance ({@link Arithmetic#PROVENANCE_KEY}),
   * and what was measured. Graph-level models and models whose architecture rule already says
   * exact are returned unchanged.
   */
  public static Checked apply(QuantizedModel model, ComputationGraph net, GraphDataset data, boolean rowNormalize) {
    Outcome o = measure(model, net, data, rowNormalize);
    QuantizedModel out = Double.isNaN(o.agreement()) ? model
        : model.withProvenance(Arithmetic.PROVENANCE_KEY, o.chosen().label());
    return new Checked(out, o);
  }

  public record Checked(QuantizedModel model, Outcome outcome) {}

  static Outcome measure(QuantizedModel model, ComputationGraph net, GraphDataset data, boolean rowNormalize) {
    Arithmetic rule = Arithmetic.byArchitecture(model);
    if (model.task() != ModelTask.NODE) {
      return new Outcome(rule, Double.NaN, Double.NaN, Double.NaN, 0, "graph-level: the architecture's rule");
    }
    if (rule == Arithmetic.EXACT) {
      return new Outcome(rule, Double.NaN, Double.NaN, Double.NaN, 0, "the architecture's rule");
    }
    INDArray[] inputs = GraphInputs.nodeLevel(data, null, rowNormalize, DataType.FLOAT);
    int[] reference = net.output(false, inputs)[0].argMax(1).toIntVector();
    GraphInputs.Plain plain = GraphInputs.Plain.of(inputs);
    int[] fast = fastPredictions(model, plain);
    int n = plain.nodes();
    int agree = 0;
    for (int v = 0; v < n; v++) {
      agree += fast[v] == reference[v] ? 1 : 0;
    }
    int[] test = GraphInputs.rows(data, Split.TEST);
    int correctFast = 0;
    int correctFake = 0;
    for (int v : test) {
      int y = data.vertices().label(v);
      correctFast += fast[v] == y ? 1 : 0;
      correctFake += reference[v] == y ? 1 : 0;
    }
    double agreement = (double) agree / n;
    double accFast = test.length == 0 ? 0 : (double) correctFast / test.length;
    double accFake = test.length == 0 ? 0 : (double) correctFake / test.length;
    boolean ok = agreement >= MIN_AGREEMENT && Math.abs(accFast - accFake) <= MAX_ACCURACY_GAP + 1e-12;
    return new Outcome(ok ? Arithmetic.FAST : Arithmetic.EXACT, agreement, accFast, accFake, n,
        ok ? "measured" : "fast missed the agreement bar");
  }

  private static int[] fastPredictions(QuantizedModel model, GraphInputs.Plain g) {
    return model.scorer(Arithmetic.FAST).score(g.features(), g.nodes(), g.src(), g.dst()).predictions();
  }
}
