package io.dqspark.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dqspark.util.DqInputException;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class DegreeSummaryJsonTest {
  private static DegreeSummary summary() {
    TreeMap<Integer, Long> perDegree = new TreeMap<>();
    perDegree.put(0, 3L);
    perDegree.put(1, 10L);
    perDegree.put(2, 7L);
    perDegree.put(5, 4L);
    perDegree.put(168, 1L);
    return DegreeSummary.of(perDegree, 221, 1, new ProtectionRule(0.1, 0.2), false,
        new DegreeSummary.Range(0.112, 0.2, 0.15));
  }

  @Test
  void readsWhatItWrites() {
    DegreeSummary s = summary();
    DegreeSummary back = DegreeSummary.fromJson(s.toJson(), "stats.json");
    assertEquals(s, back);
    assertEquals(s.toJson(), back.toJson());
  }

  @Test
  void aMissingKeyIsNamedWithTheFile() {
    String json = summary().toJson().replace("\"mask_prob\"", "\"maskprob\"");
    DqInputException e = assertThrows(DqInputException.class, () -> DegreeSummary.fromJson(json, "run/stats/stats.json"));
    assertTrue(e.getMessage().contains("run/stats/stats.json") && e.getMessage().contains("'mask_prob'"), e.getMessage());
  }

  @Test
  void notJsonIsAClearError() {
    DqInputException e = assertThrows(DqInputException.class, () -> DegreeSummary.fromJson("{nodes: ", "s.json"));
    assertTrue(e.getMessage().startsWith("s.json: not a stats.json summary"), e.getMessage());
  }
}
