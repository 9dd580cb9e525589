package io.dqspark.jobs.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dqspark.jobs.CliRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline's refusals happen before any stage runs, and leave the run folder as it was. */
class PipelineJobTest {
  @Test
  void aFolderHoldingAPreviousRunIsRefusedWithoutOverwrite(@TempDir Path dir) throws IOException {
    Path old = Files.writeString(dir.resolve("report.md"), "an earlier run");
    CliRunner.Outcome o = CliRunner.run("pipeline", "conf/cora.conf", "--out", dir.toString());
    assertEquals(2, o.exitCode(), o.err());
    assertTrue(o.err().contains("holds a previous run") && o.err().contains("--overwrite"), o.err());
    assertEquals("an earlier run", Files.readString(old));
  }

  @Test
  void aMisspeltSettingIsNamedWithTheNearestKey(@TempDir Path dir) throws IOException {
    Path conf = Files.writeString(dir.resolve("bad.conf"), "name = cora\ninput = data/planetoid/cora\nepoch = 3\n");
    Path out = dir.resolve("run");
    CliRunner.Outcome o = CliRunner.run("pipeline", conf.toString(), "--out", out.toString());
    assertEquals(2, o.exitCode(), o.err());
    assertTrue(o.err().contains("epoch") && o.err().contains("epochs"), o.err());
    assertTrue(Files.notExists(out), "nothing written");
  }

  @Test
  void aMissingConfFileIsNamed(@TempDir Path dir) {
    CliRunner.Outcome o = CliRunner.run("pipeline", "conf/no-such.conf", "--out", dir.resolve("run").toString());
    assertEquals(2, o.exitCode(), o.err());
    assertTrue(o.err().contains("conf/no-such.conf"), o.err());
  }
}
