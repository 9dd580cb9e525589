package io.dqspark.jobs.score;

import static io.dqspark.jobs.score.PartitionedNodeScorerTest.assertInputError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dqspark.graph.GraphDataset;
import io.dqspark.jobs.SparkTestSession;
import io.dqspark.model.IntegerGin;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dq_predict_graph with a GIN graph classifier: one MUTAG graph per row. */
class GinFunctionsTest {
  private static final StructType GRAPHS = DataTypes.createStructType(List.of(
      DataTypes.createStructField("graph_id", DataTypes.LongType, false),
      DataTypes.createStructField("features", DataTypes.createArrayType(
          DataTypes.createArrayType(DataTypes.FloatType)), true),
      DataTypes.createStructField("src", DataTypes.createArrayType(DataTypes.LongType), true),
      DataTypes.createStructField("dst", DataTypes.createArrayType(DataTypes.LongType), true)));

  @Test
  void everyMutagGraphScoresLikeTheBatchedIntegerRun(@TempDir Path tmp) throws Exception {
    SparkSession spark = SparkTestSession.get();
    TuModels.Published mutag = TuModels.publish(tmp, "MUTAG", 5, 16, 3);
    DqFunctions.register(spark);
    GraphDataset d = mutag.scaled();
    var v = d.vertices();
    var raw = mutag.raw().vertices();
    int n = v.size();
    int graphs = d.graphs().size();
    // per graph: its nodes in row order, local indices for its edges
    int[] nodeGraph = new int[n];
    int[] local = new int[n];
    List<List<List<Float>>> features = new ArrayList<>();
    List<List<Long>> src = new ArrayList<>();
    List<List<Long>> dst = new ArrayList<>();
    for (int g = 0; g < graphs; g++) {
      features.add(new ArrayList<>());
      src.add(new ArrayList<>());
      dst.add(new ArrayList<>());
    }
    for (int r = 0; r < n; r++) {
      int g = (int) v.graphId(r);
      nodeGraph[r] = g;
      local[r] = features.get(g).size();
      List<Float> row = new ArrayList<>();
      for (int j = 0; j < d.featureDim(); j++) {
        row.add(raw.features(r)[j]); // the function applies the model's feature scale
      }
      features.get(g).add(row);
    }
    var e = d.edges();
    for (int i = 0; i < e.size(); i++) {
      int s = v.rowOf(e.src(i));
      int t = v.rowOf(e.dst(i));
      src.get(nodeGraph[s]).add((long) local[s]);
      dst.get(nodeGraph[t]).add((long) local[t]);
    }
    List<Row> rows = new ArrayList<>();
    for (int g = 0; g < graphs; g++) {
      rows.add(RowFactory.create((long) g, features.get(g), src.get(g), dst.get(g)));
    }
    rows.add(RowFactory.create(-1L, null, List.of(), List.of())); // a null graph scores null
    spark.createDataFrame(rows, GRAPHS).createOrReplaceTempView("mutag_graphs");
    List<Row> scored = spark.sql("SELECT graph_id, dq_predict_graph('" + mutag.dir() + "', features, src, dst) "
        + "FROM mutag_graphs ORDER BY graph_id").collectAsList();

    IntegerGin.Result batched = GraphBatches.run(mutag.model(), d);
    int[] expected = batched.predictions();
    assertEquals(graphs + 1, scored.size());
    assertEquals(true, scored.get(0).isNullAt(1));
    for (int g = 0; g < graphs; g++) {
      Row p = scored.get(g + 1).getStruct(1);
      assertEquals(expected[g], p.getInt(0), "graph " + g);
      List<Double> probabilities = p.getList(1);
      double[] want = batched.probabilities(g);
      for (int c = 0; c < want.length; c++) {
        assertEquals(want[c], probabilities.get(c), 0.0, "graph " + g + " class " + c);
      }
    }
    // a graph-level model has no per-node predictions
    Exception err = assertThrows(Exception.class, () -> spark.sql("SELECT dq_predict_nodes('" + mutag.dir()
        + "', features, src, dst) FROM mutag_graphs WHERE graph_id = 0").collect());
    assertInputError(err, "dq_predict_nodes needs a node-level model");
  }
}
