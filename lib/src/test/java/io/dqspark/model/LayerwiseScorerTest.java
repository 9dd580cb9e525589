package io.dqspark.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dqspark.util.DqInputException;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The engines' common contracts: every model type's {@link QuantizedModel#scorer} is the engine of
 * its architecture, and running any engine, integer or FP32, layer by layer through {@link
 * LayerwiseScorer} over a whole graph gives exactly its whole-graph scores.
 */
class LayerwiseScorerTest {
  private static final int NODES = 40;

  /** A fixed random graph of {@link #NODES} nodes, 3 in-edges each. */
  private record Graph(int[] src, int[] dst) implements LayerGraph {
    static Graph random(long seed) {
      SplittableRandom rnd = new SplittableRandom(seed);
      int[] src = new int[NODES * 3];
      int[] dst = new int[src.length];
      for (int e = 0; e < src.length; e++) {
        src[e] = rnd.nextInt(NODES);
        dst[e] = e % NODES;
      }
      return new Graph(src, dst);
    }

    @Override public GcnGraph gcnGraph() { return GcnGraph.of(NODES, src, dst); }
    @Override public GinGraph ginGraph() { return GinGraph.of(NODES, src, dst); }
  }

  private static float[] features(int width, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    float[] x = new float[NODES * width];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rnd.nextDouble(-0.5, 1.5);
    }
    return x;
  }

  private static float[] floats(SplittableRandom rnd, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) rnd.nextDouble(-1, 1);
    }
    return v;
  }

  /** Layer by layer over {@code g}, {@code x} the features; the scores of the first {@code rows} nodes. */
  private static <R> ClassScores layerByLayer(LayerwiseScorer<R> e, float[] x, LayerGraph g, int rows) {
    R y = e.firstLayerInput(x, NODES);
    for (int li = 0; li < e.layerCount(); li++) {
      y = e.layer(li, y, li == 0 && e.firstLayerReadsFeatures() ? x : null, g);
    }
    return e.nodeScores(y, rows);
  }

  private static void assertSameScores(ClassScores whole, ClassScores layered, int rows, String what) {
    int[] all = whole.predictions();
    assertArrayEquals(java.util.Arrays.copyOf(all, rows), layered.predictions(), what);
    for (int v = 0; v < rows; v++) {
      assertArrayEquals(whole.probabilities(v), layered.probabilities(v), what + ", node " + v);
    }
  }

  @Test
  void eachModelTypeMakesItsOwnEngine() {
    assertInstanceOf(IntegerGcn.class, TinyModels.gcn().scorer());
    assertInstanceOf(IntegerGin.class, TinyModels.gin().scorer(Arithmetic.EXACT));
    assertInstanceOf(IntegerGat.class, TinyModels.gat().scorer());
    for (QuantizedModel m : List.of(TinyModels.gcn(), TinyModels.nodeGin(), TinyModels.gat())) {
      for (Arithmetic a : Arithmetic.values()) {
        IntegerScorer e = m.scorer(a);
        assertEquals(m, e.model());
        assertEquals(a, e.arithmetic());
      }
      assertEquals(Arithmetic.defaultFor(m), m.scorer().arithmetic());
      assertEquals(m.layerCount(), m.scorer().layerCount());
    }
  }

  @Test
  void integerEnginesLayerByLayerScoreAsWholeGraphs() {
    Graph g = Graph.random(3);
    for (QuantizedModel m : List.of(TinyModels.gcn(), TinyModels.nodeGin(), TinyModels.gat())) {
      float[] x = features(m.inputWidth(), 5);
      for (Arithmetic a : Arithmetic.values()) {
        IntegerScorer e = m.scorer(a);
        ClassScores whole = e.score(x, NODES, g.src(), g.dst());
        String what = m.architecture() + ", " + a;
        assertSameScores(whole, layerByLayer(e, x, g, NODES), NODES, what);
        assertSameScores(whole, layerByLayer(e, x, g, 7), 7, what + ", first 7 nodes");
      }
    }
  }

  @Test
  void aGraphLevelEngineScoresWholeGraphsOnly() {
    GinModel m = TinyModels.gin();
    Graph g = Graph.random(4);
    float[] x = features(m.inputWidth(), 6);
    ClassScores one = m.scorer().score(x, NODES, g.src(), g.dst());
    assertEquals(1, one.predictions().length, "the edges as one graph: one row");
    IntegerGin e = m.scorer();
    byte[] y = e.firstLayerInput(x, NODES);
    for (int li = 0; li < e.layerCount(); li++) {
      y = e.layer(li, y, x, g);
    }
    byte[] last = y;
    assertThrows(IllegalStateException.class, () -> e.nodeScores(last, NODES));
  }

  @Test
  void fp32EnginesLayerByLayerScoreAsWholeGraphs() {
    Graph g = Graph.random(7);
    SplittableRandom rnd = new SplittableRandom(11);
    FloatGcn gcn = new FloatGcn(List.of(
        new FloatGcn.Layer(5, 4, true, floats(rnd, 20), floats(rnd, 4)),
        new FloatGcn.Layer(4, 3, false, floats(rnd, 12), floats(rnd, 3))));
    FloatGat gat = new FloatGat(List.of(
        new FloatGat.Layer(5, 2, 2, true, GatLayer.Activation.ELU, floats(rnd, 20), floats(rnd, 4),
            floats(rnd, 4), floats(rnd, 4)),
        new FloatGat.Layer(4, 3, 2, false, GatLayer.Activation.NONE, floats(rnd, 24), floats(rnd, 6),
            floats(rnd, 6), floats(rnd, 3))));
    FloatGin gin = new FloatGin(ModelTask.NODE, List.of(
        new FloatGin.Layer(5, 4, true, 0.1f, floats(rnd, 20), floats(rnd, 4), floats(rnd, 16), floats(rnd, 4)),
        new FloatGin.Layer(4, 4, true, -0.2f, floats(rnd, 16), floats(rnd, 4), floats(rnd, 16), floats(rnd, 4))),
        null, List.of(), new FloatGin.Dense(4, 3, false, floats(rnd, 12), floats(rnd, 3)));
    float[] x = features(5, 9);
    Map<String, ClassScores> whole = Map.of(
        "gcn", new FloatScores(gcn.run(x, g.gcnGraph()), 3),
        "gat", new FloatScores(gat.run(x, g.gcnGraph()), 3),
        "gin", new FloatScores(gin.run(x, g.ginGraph()), 3));
    Map<String, LayerwiseScorer<float[]>> engines = Map.of("gcn", gcn, "gat", gat, "gin", gin);
    for (String name : engines.keySet()) {
      assertSameScores(whole.get(name), layerByLayer(engines.get(name), x, g, NODES), NODES, name);
      assertSameScores(whole.get(name), layerByLayer(engines.get(name), x, g, 5), 5, name + ", first 5");
    }
    assertThrows(DqInputException.class, () -> gcn.nodeScores(new float[5], 2));
  }
}
