package io.dqspark.jobs.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dqspark.jobs.CliRunner;
import io.dqspark.jobs.SparkTestSession;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RmatTest {
  @TempDir Path tmp;

  @Test
  void scrambleIsABijection() {
    Rmat rmat = Rmat.graph500(12, 99);
    Set<Long> seen = new HashSet<>();
    for (long x = 0; x < 4096; x++) {
      long y = rmat.scramble(x);
      assertTrue(y >= 0 && y < 4096);
      seen.add(y);
    }
    assertEquals(4096, seen.size());
  }

  @Test
  void edgesAreAFunctionOfSeedAndIndex() {
    long[] a = new long[2];
    long[] b = new long[2];
    Rmat.graph500(16, 5).edge(12345, a);
    Rmat.graph500(16, 5).edge(12345, b);
    assertEquals(a[0], b[0]);
    assertEquals(a[1], b[1]);
    Rmat.graph500(16, 6).edge(12345, b);
    assertTrue(a[0] != b[0] || a[1] != b[1], "another seed, another graph");
  }

  @Test
  void generatedGraphIsDeterministicAndSkewed() {
    Path one = tmp.resolve("one");
    Path two = tmp.resolve("two");
    for (Path out : new Path[] {one, two}) {
      CliRunner.Outcome r = CliRunner.run("generate", "--scale", "12", "--edge-factor", "8", "--classes", "3",
          "--out", out.toString());
      assertEquals(0, r.exitCode(), r.err());
    }
    var spark = SparkTestSession.get();
    Dataset<Row> e1 = spark.read().parquet(one + "/edges");
    Dataset<Row> e2 = spark.read().parquet(two + "/edges");
    assertEquals(4096L * 8, e1.count());
    assertEquals(0, e1.exceptAll(e2).count(), "same seed, same edges");
    Row deg = e1.groupBy("dst").count().agg(org.apache.spark.sql.functions.max("count"),
        org.apache.spark.sql.functions.avg("count")).first();
    assertTrue(deg.getLong(0) > 20 * deg.getDouble(1), "R-MAT in-degrees are heavy-tailed: " + deg);
    Dataset<Row> v = spark.read().parquet(one + "/vertices");
    assertEquals(4096, v.count());
    assertEquals(3, v.select("label").distinct().count());
    assertEquals(16, v.first().getList(2).size());
  }
}
