package io.dqspark.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dqspark.gnn.GcnModels;
import io.dqspark.gnn.GraphInputs;
import io.dqspark.graph.GraphLevel;
import io.dqspark.graph.Split;
import io.dqspark.jobs.SparkTestSession;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * Cora's two real parts loaded for a GCN: Spark's degrees and the stand-ins shipped between parts
 * make every part's training step compute, for its own nodes, the whole graph's FP32 outputs.
 */
class HaloStandInsTest {
  @Test
  void everyPartsStepComputesTheWholeGraphsOutputsForItsNodes() {
    ShardLoader.Shards s = ShardLoader.load(SparkTestSession.get(), TrainFixtures.coraParts(), 2, 7, null,
        new HaloStandIns(true));
    List<PartShard> shards = new ArrayList<>(s.rdd().collect());
    s.rdd().unpersist(false);
    shards.sort(Comparator.comparingInt(PartShard::part));
    assertEquals(2, shards.size());

    // the whole graph, rebuilt from the parts' own rows and their in-edges
    Map<Long, Integer> row = new HashMap<>();
    List<float[]> features = new ArrayList<>();
    for (PartShard p : shards) {
      for (int i = 0; i < p.numOwn; i++) {
        row.put(p.vertexId[i], features.size());
        features.add(GraphInputs.rowNormalized(p.features[i]));
      }
    }
    List<int[]> edges = new ArrayList<>();
    for (PartShard p : shards) {
      for (int e = 0; e < p.edgeSrc.length; e++) {
        edges.add(new int[] {row.get(p.edgeSrc[e]), row.get(p.edgeDst[e])});
      }
    }
    assertEquals(2708, features.size());
    INDArray[] whole = GraphInputs.of(features.toArray(float[][]::new), edges.stream().mapToInt(e -> e[0]).toArray(),
        edges.stream().mapToInt(e -> e[1]).toArray(), null, 0, DataType.FLOAT);

    GcnModels.Options o = new GcnModels.Options();
    o.dropout = 0;
    ComputationGraph net = new ComputationGraph(GcnModels.nodeClassifier(1433, 7, new NoOp(), o));
    net.init();
    INDArray expected = net.outputSingle(false, whole);

    StepPlan plan = new StepPlan(GraphLevel.NODE, 3, 1, true, null, null, false);
    int haloRows = 0;
    int labelled = 0;
    for (PartShard p : shards) {
      assertTrue(p.hasStandIns(), "part " + p.part() + " has no stand-ins");
      haloRows += p.numVertices() - p.numOwn;
      MultiDataSet step = plan.example(new StepPlan.Step(p, 0, 0));
      INDArray out = net.outputSingle(false, step.getFeatures());
      for (int i = 0; i < p.numOwn; i++) {
        INDArray want = expected.getRow(row.get(p.vertexId[i]));
        double worst = out.getRow(i).sub(want).amaxNumber().doubleValue();
        assertTrue(worst < 1e-5, "part " + p.part() + " vertex " + p.vertexId[i] + " departs by " + worst);
      }
      labelled += step.getLabelsMaskArray(0).sumNumber().intValue();
    }
    assertTrue(haloRows > 100, "Cora's parts should have a halo, got " + haloRows + " rows");
    int trainNodes = 0;
    for (PartShard p : shards) {
      for (int i = 0; i < p.numOwn; i++) {
        trainNodes += p.splits[i] == Split.TRAIN.ordinal() ? 1 : 0;
      }
    }
    assertEquals(140, trainNodes);
    assertEquals(140, labelled);
  }
}
