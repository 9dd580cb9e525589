package io.dqspark.jobs.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dqspark.jobs.SparkTestSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/cli.md is what the picocli declarations render today. */
class CliReferenceTest {
  @Test
  void theCommittedReferenceIsCurrent() throws IOException {
    Path file = SparkTestSession.repoRoot().resolve(CliReference.FILE);
    String rendered = CliReference.render();
    for (String command : new String[] {"bin/dq ingest", "bin/dq train", "bin/dq score", "bin/dq generate",
        "bin/dq bench partition", "--model", "--mixing"}) {
      assertTrue(rendered.contains(command), "the reference covers " + command);
    }
    assertEquals(rendered, Files.readString(file, StandardCharsets.UTF_8),
        CliReference.FILE + " is stale: regenerate it with io.dqspark.jobs.docs.CliReference (see its first lines)");
  }
}
