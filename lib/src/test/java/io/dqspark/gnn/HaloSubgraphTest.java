package io.dqspark.gnn;

import io.dqspark.loaders.TestData;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dqspark.graph.EdgeRules;
import io.dqspark.graph.GraphDataset;
import io.dqspark.loaders.PlanetoidLoader;
import io.dqspark.util.HadoopFiles;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * A part's scoped subgraph gives its own nodes the whole graph's GCN outputs (Cora, FP32, cut into
 * three parts with most edges crossing), where the plain part-plus-halo subgraph does not; and the
 * scoped layers' gradients match finite differences.
 */
@ExtendWith(DoublePrecision.class)
class HaloSubgraphTest {
  private static final int PARTS = 3;

  @Test
  void ownNodesOfEveryPartGetTheWholeGraphsOutputsOnCora() {
    GraphDataset cora = PlanetoidLoader.load(HadoopFiles.withDefaults(), TestData.repoData("planetoid/cora").toString(), "cora",
        EdgeRules.Options.DEFAULT);
    INDArray[] whole = GraphInputs.nodeLevel(cora, null, true, DataType.DOUBLE);
    ComputationGraph net = fp32Network(cora.vertices().features(0).length, cora.numClasses(), 16);
    INDArray expected = net.outputSingle(false, whole);
    Cut[] cuts = Graph.of(whole).cuts();

    double scopedWorst = 0;
    double plainWorst = 0;
    for (Cut cut : cuts) {
      INDArray scoped = net.outputSingle(false, HaloSubgraph.inputs(cut.part, cut.haloStandIns, 7, DataType.DOUBLE));
      INDArray plain = net.outputSingle(false, GraphInputs.of(cut.part.features(), cut.part.src(),
          cut.part.dst(), null, 7, DataType.DOUBLE));
      for (int i = 0; i < cut.part.own(); i++) {
        INDArray want = expected.getRow(cut.rows[i]);
        scopedWorst = Math.max(scopedWorst, scoped.getRow(i).sub(want).amaxNumber().doubleValue());
        plainWorst = Math.max(plainWorst, plain.getRow(i).sub(want).amaxNumber().doubleValue());
      }
    }
    assertTrue(scopedWorst < 1e-9, "scoped part output departs from the whole graph by " + scopedWorst);
    assertTrue(plainWorst > 1e-2, "the plain halo subgraph should differ, worst " + plainWorst);
  }

  @Test
  void scopedGradientsMatchFiniteDifferences() {
    TinyGraph tiny = new TinyGraph(11);
    Cut cut = Graph.of(tiny.inputs(DataType.DOUBLE)).cuts()[0];
    INDArray[] in = HaloSubgraph.inputs(cut.part, cut.haloStandIns, 7, DataType.DOUBLE);
    int rows = (int) in[GraphInputs.FEATURES].size(0);
    int classes = 3;
    Random r = new Random(5);
    INDArray labels = Nd4j.zeros(DataType.DOUBLE, rows, classes);
    INDArray mask = Nd4j.zeros(DataType.DOUBLE, rows, 1);
    for (int i = 0; i < cut.part.own(); i++) {
      labels.putScalar(i, r.nextInt(classes), 1.0);
      mask.putScalar(i, 0, 1.0);
    }
    for (QuantMode mode : QuantMode.values()) {
      GcnModels.Options o = new GcnModels.Options();
      o.hidden = 5;
      o.dropout = 0;
      o.mode = mode;
      o.passThrough = mode != QuantMode.FP32;
      o.dataType = DataType.DOUBLE;
      ComputationGraph net = new ComputationGraph(GcnModels.nodeClassifier(TinyGraph.F, classes, new NoOp(), o));
      net.init();
      Set<String> state = mode == QuantMode.FP32 ? Set.of()
          : Set.of("gcn1_" + GcnVertexImpl.STATE_KEY, "gcn2_" + GcnVertexImpl.STATE_KEY);
      assertTrue(GradientChecks.dl4j(net, in, labels, mask, state), mode.toString());
    }
    assertTrue(cut.haloStandIns.length > 0, "the tiny part must have a halo");
  }

  @Test
  void aPartMissingAnInEdgeIsRejectedNamingTheRow() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new HaloSubgraph.Part(
        2, new float[][] {{1}, {2}, {3}}, new int[] {2, 1, 1}, new int[] {2}, new int[] {1},
        new double[3]));
    assertTrue(e.getMessage().contains("own row 0 has 0 in-edges"), e.getMessage());
  }

  private static ComputationGraph fp32Network(int features, int classes, int hidden) {
    GcnModels.Options o = new GcnModels.Options();
    o.hidden = hidden;
    o.dropout = 0;
    o.dataType = DataType.DOUBLE;
    ComputationGraph net = new ComputationGraph(GcnModels.nodeClassifier(features, classes, new NoOp(), o));
    net.init();
    return net;
  }

  /** A part of {@link Graph}: its rows (global ids of own then halo rows) and halo stand-ins. */
  private record Cut(HaloSubgraph.Part part, int[] rows, HaloSubgraph.StandIn[] haloStandIns) {}

  /** A whole graph's features and edges; nodes belong to part {@code v % PARTS}. */
  private record Graph(float[][] x, int[] src, int[] dst, int[] degree) {
    static Graph of(INDArray[] inputs) {
      INDArray f = inputs[GraphInputs.FEATURES];
      int n = (int) f.size(0);
      float[][] x = new float[n][];
      for (int i = 0; i < n; i++) {
        x[i] = f.getRow(i).toFloatVector();
      }
      INDArray e = inputs[GraphInputs.EDGES];
      int m = (int) e.size(0);
      int[] src = new int[m];
      int[] dst = new int[m];
      int[] degree = new int[n];
      Arrays.fill(degree, 1);
      for (int i = 0; i < m; i++) {
        src[i] = e.getInt(i, 0);
        dst[i] = e.getInt(i, 1);
        degree[dst[i]] += src[i] != dst[i] ? 1 : 0;
      }
      return new Graph(x, src, dst, degree);
    }

    /** Every part's cut, the stand-ins of its halo computed by the parts that own those nodes. */
    Cut[] cuts() {
      Cut[] plain = new Cut[PARTS];
      HaloSubgraph.StandIn[] standInOf = new HaloSubgraph.StandIn[x.length];
      for (int q = 0; q < PARTS; q++) {
        plain[q] = withoutStandIns(q);
        HaloSubgraph.StandIn[] own = HaloSubgraph.standIns(plain[q].part);
        for (int i = 0; i < own.length; i++) {
          standInOf[plain[q].rows[i]] = own[i];
        }
      }
      Cut[] out = new Cut[PARTS];
      for (int q = 0; q < PARTS; q++) {
        Cut c = plain[q];
        HaloSubgraph.StandIn[] halo = new HaloSubgraph.StandIn[c.rows.length - c.part.own()];
        for (int i = 0; i < halo.length; i++) {
          halo[i] = standInOf[c.rows[c.part.own() + i]];
        }
        out[q] = new Cut(c.part, c.rows, halo);
      }
      return out;
    }

    private Cut withoutStandIns(int part) {
      List<Integer> own = new ArrayList<>();
      for (int v = 0; v < x.length; v++) {
        if (v % PARTS == part) {
          own.add(v);
        }
      }
      TreeSet<Integer> halo = new TreeSet<>();
      for (int i = 0; i < src.length; i++) {
        if (dst[i] % PARTS == part && src[i] % PARTS != part) {
          halo.add(src[i]);
        }
      }
      int[] rows = new int[own.size() + halo.size()];
      int k = 0;
      for (int v : own) {
        rows[k++] = v;
      }
      for (int v : halo) {
        rows[k++] = v;
      }
      Map<Integer, Integer> local = new HashMap<>();
      for (int i = 0; i < rows.length; i++) {
        local.put(rows[i], i);
      }
      List<int[]> edges = new ArrayList<>();
      for (int i = 0; i < src.length; i++) {
        if (dst[i] % PARTS == part) {
          edges.add(new int[] {local.get(src[i]), local.get(dst[i])});
        }
      }
      HaloSubgraph.Part p = new HaloSubgraph.Part(own.size(),
          Arrays.stream(rows).mapToObj(v -> x[v]).toArray(float[][]::new),
          Arrays.stream(rows).map(v -> degree[v]).toArray(),
          edges.stream().mapToInt(e -> e[0]).toArray(), edges.stream().mapToInt(e -> e[1]).toArray(),
          new double[rows.length]);
      return new Cut(p, rows, null);
    }
  }
}
