package io.dqspark.jobs.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dqspark.jobs.SparkTestSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/results.md is what results/*.json render today. */
class ResultsDigestTest {
  @Test
  void theCommittedDigestIsCurrent() throws IOException {
    Path root = SparkTestSession.repoRoot();
    String rendered = ResultsDigest.render(root);
    try (var files = Files.list(root.resolve(ResultsDigest.FOLDER))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
        assertTrue(rendered.contains("## " + f.getFileName()), "the digest has a section for " + f.getFileName());
      }
    }
    assertEquals(rendered, Files.readString(root.resolve(ResultsDigest.FILE), StandardCharsets.UTF_8),
        ResultsDigest.FILE + " is stale: regenerate it with io.dqspark.jobs.docs.ResultsDigest");
  }
}
