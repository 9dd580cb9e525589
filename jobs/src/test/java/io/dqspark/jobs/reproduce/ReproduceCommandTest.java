package io.dqspark.jobs.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dqspark.jobs.CliRunner;
import io.dqspark.train.ResultRow;
import io.dqspark.train.ResultTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/dq reproduce} end to end on the bundled MUTAG (stratified folds, no split file) with
 * a tiny budget: the JSON holds one row per variant with the documented fields, and bad grid
 * values fail with input errors naming them.
 */
class ReproduceCommandTest {
  private static String mutag() {
    return Paths.get(System.getProperty("dq.repo.root", "."), "data/tu/MUTAG").toString();
  }

  @Test
  void writesOneRowPerVariantForAGraphDataset(@TempDir Path dir) throws Exception {
    Path json = dir.resolve("out/mutag.json");
    CliRunner.Outcome o = CliRunner.run("reproduce", "--dataset", mutag(), "--arch", "gin",
        "--precision", "fp32,int8", "--method", "dq", "--folds", "2", "--epochs", "2",
        "--json", json.toString());
    assertEquals(0, o.exitCode(), o.err());
    List<ResultRow> rows = ResultTable.parse(Files.readString(json));
    assertEquals(2, rows.size());
    assertEquals("fp32", rows.get(0).method());
    assertEquals("int8", rows.get(1).precision());
    assertEquals("dq", rows.get(1).method());
    for (ResultRow r : rows) {
      assertEquals("MUTAG", r.dataset());
      assertEquals(2, r.runs());
      assertTrue(r.testAccuracyMean() > 0 && r.testAccuracyMean() <= 100, r.toString());
      assertTrue(r.secondsPerEpoch() > 0, r.toString());
    }
    try (var files = Files.list(json.getParent())) {
      assertEquals(List.of(json), files.toList(), "no temporary file left behind");
    }
  }

  @Test
  void badGridValuesAreInputErrors(@TempDir Path dir) {
    CliRunner.Outcome o = CliRunner.run("reproduce", "--dataset", mutag(), "--precision", "int16",
        "--json", dir.resolve("x.json").toString());
    assertEquals(2, o.exitCode(), o.err());
    assertTrue(o.err().contains("int16"), o.err());
    assertFalse(Files.exists(dir.resolve("x.json")));

    o = CliRunner.run("reproduce", "--dataset", dir.toString());
    assertEquals(2, o.exitCode(), o.err());
    assertTrue(o.err().contains("neither Planetoid"), o.err());

    o = CliRunner.run("reproduce", "--dataset", mutag(), "--arch", "gcn", "--precision", "fp32",
        "--folds", "2", "--epochs", "1");
    assertEquals(2, o.exitCode(), o.err());
    assertTrue(o.err().contains("gin"), o.err());
  }
}
