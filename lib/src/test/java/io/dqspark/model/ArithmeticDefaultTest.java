package io.dqspark.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dqspark.util.DqInputException;
import org.junit.jupiter.api.Test;

/**
 * Which arithmetic an engine uses when nobody names one: the system property, else the choice the
 * export measured and recorded in the model, else the architecture's rule (design §5.6).
 */
class ArithmeticDefaultTest {
  @Test
  void aMeasuredChoiceInTheModelOverridesTheArchitectureRuleAndSurvivesTheFile() {
    GcnModel gcn = TinyModels.gcn();
    assertEquals(Arithmetic.FAST, Arithmetic.byArchitecture(gcn), "an 8-bit GCN is fast by its rule");
    assertEquals(Arithmetic.FAST, Arithmetic.defaultFor(gcn));

    GcnModel checked = gcn.withProvenance(Arithmetic.PROVENANCE_KEY, "exact");
    assertEquals(Arithmetic.EXACT, Arithmetic.defaultFor(checked));
    assertEquals(gcn.layers(), checked.layers(), "the same layers");
    QuantizedModel reread = ModelReader.read(ModelWriter.toBytes(checked));
    assertEquals(Arithmetic.EXACT, Arithmetic.defaultFor(reread));
    assertEquals(Arithmetic.EXACT, reread.scorer().arithmetic(), "the engine follows it");

    for (QuantizedModel m : new QuantizedModel[] {TinyModels.gin(), TinyModels.nodeGin(), TinyModels.gat()}) {
      QuantizedModel withChoice = m.withProvenance(Arithmetic.PROVENANCE_KEY, "exact");
      assertEquals(m.architecture(), withChoice.architecture());
      assertEquals(m.task(), withChoice.task());
      assertEquals(Arithmetic.EXACT, Arithmetic.defaultFor(withChoice));
    }
  }

  @Test
  void thePropertyOverridesEverything() {
    QuantizedModel checked = TinyModels.gcn().withProvenance(Arithmetic.PROVENANCE_KEY, "exact");
    String before = System.getProperty(Arithmetic.PROPERTY);
    try {
      System.setProperty(Arithmetic.PROPERTY, "fast");
      assertSame(Arithmetic.FAST, Arithmetic.defaultFor(checked));
    } finally {
      if (before == null) {
        System.clearProperty(Arithmetic.PROPERTY);
      } else {
        System.setProperty(Arithmetic.PROPERTY, before);
      }
    }
  }

  @Test
  void aBadRecordedChoiceIsAnErrorNamingTheChoices() {
    QuantizedModel bad = TinyModels.gcn().withProvenance(Arithmetic.PROVENANCE_KEY, "quick");
    DqInputException e = assertThrows(DqInputException.class, () -> Arithmetic.defaultFor(bad));
    assertTrue(e.getMessage().contains("'exact' or 'fast'") && e.getMessage().contains("quick"), e.getMessage());
  }
}
