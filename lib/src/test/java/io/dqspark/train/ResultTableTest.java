package io.dqspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dqspark.gnn.QuantMode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultTableTest {
  @Test
  void rowsSummariseRunsAndSerialiseWithTheDocumentedFields() throws Exception {
    List<RunResult> runs = List.of(new RunResult(0.80, 0.79, 0.7, 100, 200, 0.1),
        new RunResult(0.82, 0.8, 0.6, 120, 220, 0.3));
    ResultRow row = ResultRow.of("cora", Architecture.GCN, new Variant(QuantMode.DQ, 8), runs);
    assertEquals(81.0, row.testAccuracyMean(), 1e-9);
    assertEquals(1.0, row.testAccuracyStd(), 1e-9);
    assertEquals(0.2, row.secondsPerEpoch(), 1e-12);
    assertEquals(210, row.epochsMean(), 1e-12);

    JsonNode json = new ObjectMapper().readTree(ResultTable.json(List.of(row)));
    JsonNode r = json.get(0);
    for (String field : List.of("dataset", "arch", "precision", "method", "test_accuracy_mean",
        "test_accuracy_std", "seconds_per_epoch")) {
      assertTrue(r.has(field), field);
    }
    assertEquals("int8", r.get("precision").asText());
    assertEquals("dq", r.get("method").asText());
    assertEquals(List.of(row), ResultTable.parse(ResultTable.json(List.of(row))));

    ResultRow fp32 = ResultRow.of("cora", Architecture.GCN, Variant.FP32, runs);
    assertEquals("fp32", fp32.method());
    String md = ResultTable.markdown(List.of(fp32, row));
    assertTrue(md.contains("| cora | gcn | int8 | dq | 2 | 81.0 ± 1.0 | 210 | 0.200 |"), md);
  }
}
