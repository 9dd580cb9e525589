package io.dqspark.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dqspark.gnn.GraphBatch;
import io.dqspark.gnn.QuantMode;
import io.dqspark.graph.EdgeRules;
import io.dqspark.graph.GraphDataset;
import io.dqspark.loaders.TuLoader;
import io.dqspark.model.FloatGin;
import io.dqspark.model.GinModel;
import io.dqspark.model.IntegerGin;
import io.dqspark.model.ModelReader;
import io.dqspark.model.ModelTask;
import io.dqspark.model.ModelWriter;
import io.dqspark.train.Architecture;
import io.dqspark.train.CrossValidationFolds;
import io.dqspark.train.FeatureScaling;
import io.dqspark.train.Fold;
import io.dqspark.train.GraphClassificationRun;
import io.dqspark.train.RunResult;
import io.dqspark.train.TrainingOptions;
import io.dqspark.train.Variant;
import io.dqspark.util.HadoopFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.junit.jupiter.api.Tag;

/**
 * A Degree-Quant GIN graph classifier trained briefly on one PROTEINS fold, exported, written and
 * read back as a .dq8 file and scored on all 1,113 graphs (one block-diagonal batch) with integer
 * arithmetic, against the DL4J fake-quant network it came from.
 */
@Tag("integration")
class IntegerGinProteinsTest {
  /** The repository's bundled PROTEINS (data/tu/PROTEINS), else the shared data folder's. */
  private static Path proteins() {
    Path bundled = Paths.get(System.getProperty("dq.repo.root", ".."), "data", "tu", "PROTEINS");
    if (Files.isDirectory(bundled)) {
      return bundled;
    }
    String property = System.getProperty("dq.shared.data");
    Path base = property != null ? Paths.get(property) : Paths.get("/work/shared/data");
    return base.resolve("tu/PROTEINS");
  }

  private record Comparison(int agree, int graphs, double accInt, double accFake, double majority) {}

  private static Comparison trainExportCompare(Variant variant, int epochs, long seed) {
    Path dir = proteins();
    assumeTrue(Files.isDirectory(dir), "shared PROTEINS data not available at " + dir);
    GraphDataset raw = TuLoader.load(HadoopFiles.withDefaults(), dir.toString(), "PROTEINS",
        EdgeRules.Options.DEFAULT);
    GraphClassificationRun run = new GraphClassificationRun(raw);
    Fold fold = CrossValidationFolds.stratified(run.graphLabels(), 10, 1).get(0);
    TrainingOptions o = TrainingOptions.defaults(Architecture.GIN, true);
    o.variant = variant;
    o.epochs = epochs;
    o.hidden = 32;
    o.batchSize = 32;
    o.seed = seed;
    RunResult r = run.run(fold, o, io.dqspark.train.EpochListener.NONE);
    System.out.println("PROTEINS " + variant + ": " + r);
    ComputationGraph net = run.network();

    GraphDataset data = FeatureScaling.maxAbs(raw);
    int graphs = data.graphs().size();
    int[] all = IntStream.range(0, graphs).toArray();
    INDArray[] inputs = GraphBatch.of(data, null).inputs(all, DataType.FLOAT);
    int[] fake = net.output(false, inputs)[0].argMax(1).toIntVector();

    GinModel exported = GinExporter.export(net, Map.of("dataset", "PROTEINS"));
    GinModel model = (GinModel) ModelReader.read(ModelWriter.toBytes(exported));
    assertEquals(exported, model);
    assertEquals(ModelTask.GRAPH, model.task());
    GinInputs in = GinInputs.of(inputs);
    long t0 = System.nanoTime();
    IntegerGin.Result out = new IntegerGin(model).run(in.features(), in.graph());
    double seconds = (System.nanoTime() - t0) / 1e9;
    int[] integer = out.predictions();

    int agree = 0;
    for (int g = 0; g < graphs; g++) {
      agree += integer[g] == fake[g] ? 1 : 0;
    }
    int[] labels = run.graphLabels();
    int correctInt = 0;
    int correctFake = 0;
    int positives = 0;
    for (int g : fold.test()) {
      correctInt += integer[g] == labels[g] ? 1 : 0;
      correctFake += fake[g] == labels[g] ? 1 : 0;
      positives += labels[g];
    }
    int t = fold.test().length;
    Comparison c = new Comparison(agree, graphs, (double) correctInt / t, (double) correctFake / t,
        Math.max(positives, t - positives) / (double) t);
    System.out.printf("PROTEINS %s: integer/fake-quant agreement %d/%d = %.4f; test accuracy integer"
        + " %.4f, fake-quant %.4f (majority class %.4f); integer scoring of %d graphs %.3f s%n",
        variant, agree, graphs, (double) agree / graphs, c.accInt(), c.accFake(), c.majority(),
        graphs, seconds);
    return c;
  }

  @Test
  void dqInt8GraphClassifierAgreesWithFakeQuant() {
    Comparison c = trainExportCompare(new Variant(QuantMode.DQ, 8), 8, 3);
    assertTrue(c.accFake() >= c.majority() + 0.03, "the DQ GIN learned something: " + c);
    assertTrue(c.agree() >= 0.99 * c.graphs(), c.toString());
    assertTrue(Math.abs(c.accInt() - c.accFake()) <= 0.003 + 1e-9, c.toString());
  }

  @Test
  void qatInt4GraphClassifierAgreesWithFakeQuant() {
    Comparison c = trainExportCompare(new Variant(QuantMode.QAT, 4), 6, 5);
    assertTrue(c.agree() >= 0.99 * c.graphs(), c.toString());
  }
}
