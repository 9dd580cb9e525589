package io.dqspark.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dqspark.jobs.SparkTestSession;
import io.dqspark.util.DqInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainSettingsTest {
  @Test
  void unknownKeysNameTheNearestDeclaredOne() {
    DqInputException e = assertThrows(DqInputException.class,
        () -> TrainSettings.parse("epochs = 3\naveraging_frequncy = 2\n", "x.conf"));
    assertEquals("x.conf: unknown key 'averaging_frequncy'; did you mean 'averaging_frequency'?", e.getMessage());
    assertEquals("workers", TrainSettings.nearest("worker"));
    assertEquals("p_high", TrainSettings.nearest("phigh"));
  }

  @Test
  void valuesParseAndBadValuesNameTheirSource() {
    TrainSettings s = TrainSettings.parse("epochs = 3\nlearning_rate = 0.02\nrow_normalize = true\nfold =\n", "x.conf");
    assertEquals(3, s.integer("epochs", 1));
    assertEquals(0.02, s.number("learning_rate", 1), 0);
    assertTrue(s.bool("row_normalize", false));
    assertEquals(7, s.integer("fold", 7), "an empty value is the default");
    s.set("epochs", "many", "--epochs");
    DqInputException e = assertThrows(DqInputException.class, () -> s.integer("epochs", 1));
    assertEquals("--epochs: epochs = 'many' is not a whole number", e.getMessage());
  }

  @Test
  void everyShippedConfSetsEveryKeyAndDocumentsIt() throws IOException {
    for (String name : List.of("cora.conf", "proteins.conf", "rmat.conf", "large.conf")) {
      List<String> lines = Files.readAllLines(SparkTestSession.repoRoot().resolve("conf").resolve(name));
      for (String key : TrainSettings.KEYS.keySet()) {
        int at = -1;
        for (int i = 0; i < lines.size(); i++) {
          if (lines.get(i).matches(key + "\\s*=.*")) {
            at = i;
          }
        }
        assertTrue(at > 0, name + " lacks " + key);
        assertTrue(lines.get(at - 1).startsWith("#"), name + ": " + key + " has no comment above it");
      }
      TrainSettings.read(SparkTestSession.repoRoot().resolve("conf").resolve(name));
    }
  }
}
