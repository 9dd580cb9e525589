package io.dqspark.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dqspark.jobs.CliRunner;
import io.dqspark.jobs.SparkTestSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

/** The jobs read and write hdfs:// paths on a real (in-process) HDFS. */
@Tag("integration")
class HdfsJobsTest {
  private static MiniDFSCluster cluster;
  private static FileSystem fs;
  private static String hdfs;

  @BeforeAll
  static void startHdfs() throws IOException {
    Path base = Files.createTempDirectory("dq-minidfs");
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.toString());
    cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    cluster.waitActive();
    fs = cluster.getFileSystem();
    hdfs = fs.getUri().toString();
    copyDir(Path.of(SparkTestSession.data("planetoid/cora")), "/in/cora");
    copyDir(Path.of(SparkTestSession.data("tu/MUTAG")), "/in/MUTAG");
  }

  @AfterAll
  static void stopHdfs() {
    if (cluster != null) {
      cluster.shutdown();
    }
  }

  @Test
  void coraStatsFromHdfsToHdfsAsCsv() throws IOException {
    String out = hdfs + "/out/cora-stats";
    CliRunner.Outcome r = CliRunner.run("stats", "--input", hdfs + "/in/cora", "--input-format", "planetoid",
        "--name", "cora", "--p-low", "0", "--p-high", "0.1", "--output-format", "csv", "--out", out);
    assertEquals(0, r.exitCode(), r.err());
    Dataset<Row> vertices = SparkTestSession.get().read().option("header", "true").csv(out + "/vertices");
    assertTrue(Arrays.asList(vertices.columns()).containsAll(List.of("id", "in_degree", "mask_prob")));
    assertEquals(2708, vertices.count());
    assertTrue(fs.exists(new org.apache.hadoop.fs.Path("/out/cora-stats/stats.json")));
    assertTrue(fs.exists(new org.apache.hadoop.fs.Path("/out/cora-stats/_SUCCESS")));
    assertNoTemporaries("/out");
  }

  @Test
  void mutagPartitionedOnHdfs() throws IOException {
    String out = hdfs + "/out/mutag-parts";
    CliRunner.Outcome r = CliRunner.run("partition", "--input", hdfs + "/in/MUTAG", "--parts", "3", "--out", out);
    assertEquals(0, r.exitCode(), r.err());
    Dataset<Row> vertices = SparkTestSession.get().read().parquet(out + "/vertices");
    assertEquals(3, vertices.select("part").distinct().count());
    assertTrue(fs.exists(new org.apache.hadoop.fs.Path("/out/mutag-parts/partitions.json")));
  }

  @Test
  void badEdgeListLineOnHdfsIsNamedAndNothingIsPublished() throws IOException {
    try (FSDataOutputStream o = fs.create(new org.apache.hadoop.fs.Path("/in/bad.txt"))) {
      o.write("0 1\n1 2\n2 three\n".getBytes(StandardCharsets.UTF_8));
    }
    CliRunner.Outcome r = CliRunner.run("ingest", "--input", hdfs + "/in/bad.txt", "--out", hdfs + "/out/bad");
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains(hdfs + "/in/bad.txt:3:"), r.err());
    assertFalse(fs.exists(new org.apache.hadoop.fs.Path("/out/bad")));
    assertNoTemporaries("/out");
  }

  private static void assertNoTemporaries(String dir) throws IOException {
    for (FileStatus s : fs.listStatus(new org.apache.hadoop.fs.Path(dir))) {
      assertFalse(s.getPath().getName().startsWith("."), "temporary output left: " + s.getPath());
    }
  }

  private static void copyDir(Path local, String target) throws IOException {
    fs.mkdirs(new org.apache.hadoop.fs.Path(target));
    try (var files = Files.list(local)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(f.toUri()),
            new org.apache.hadoop.fs.Path(target + "/" + f.getFileName()));
      }
    }
  }
}
