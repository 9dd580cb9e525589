package io.dqspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dqspark.gnn.QuantMode;
import java.util.List;
import org.junit.jupiter.api.Test;

class GridTest {
  @Test
  void fp32IsOneVariantWhateverTheMethods() {
    Grid g = Grid.of(List.of("gcn", "GAT", "gcn"), List.of("fp32", "int8", "int4"), List.of("qat", "dq"));
    assertEquals(List.of(Architecture.GCN, Architecture.GAT), g.archs());
    assertEquals(List.of(Variant.FP32, new Variant(QuantMode.QAT, 8), new Variant(QuantMode.DQ, 8),
        new Variant(QuantMode.QAT, 4), new Variant(QuantMode.DQ, 4)), g.variants());
    assertEquals("fp32", Variant.FP32.method());
    assertEquals("int4", new Variant(QuantMode.DQ, 4).precision());
  }

  @Test
  void badNamesAreRejectedByName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Grid.of(List.of("gcn"), List.of("int16"), List.of("dq")));
    assertTrue(e.getMessage().contains("int16"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Variant.of("int8", "ptq"));
    assertTrue(e.getMessage().contains("ptq"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Architecture.parse("sage"));
    assertTrue(e.getMessage().contains("sage") && e.getMessage().contains("gin"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Grid.of(List.of("gcn"), List.of("int8"), List.of()));
    assertTrue(e.getMessage().contains("--method"), e.getMessage());
  }

  @Test
  void optionsAreValidatedByName() {
    TrainingOptions o = TrainingOptions.defaults(Architecture.GCN, false);
    o.dropout = 1;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, o::validate);
    assertTrue(e.getMessage().startsWith("dropout"), e.getMessage());
    TrainingOptions p = TrainingOptions.defaults(Architecture.GIN, true);
    p.epochs = 0;
    e = assertThrows(IllegalArgumentException.class, p::validate);
    assertTrue(e.getMessage().startsWith("epochs"), e.getMessage());
  }

  /** Graph tasks: one rate per precision, the same for QAT and DQ, so the baseline is not handicapped. */
  @Test
  void graphLearningRatesFollowThePrecisionNotTheMethod() {
    assertEquals(0.01, TrainingOptions.graphLearningRate(Variant.FP32));
    for (QuantMode m : new QuantMode[] {QuantMode.QAT, QuantMode.DQ}) {
      assertEquals(0.005, TrainingOptions.graphLearningRate(new Variant(m, 8)), m + " int8");
      assertEquals(0.001, TrainingOptions.graphLearningRate(new Variant(m, 4)), m + " int4");
    }
  }

  @Test
  void protectionDefaultsFollowTheBitWidth() {
    TrainingOptions o = new TrainingOptions();
    o.variant = new Variant(QuantMode.DQ, 4);
    assertEquals(0.1, o.protectionRule().pLow());
    assertEquals(0.2, o.protectionRule().pHigh());
    o.variant = new Variant(QuantMode.DQ, 8);
    assertEquals(0.0, o.protectionRule().pLow());
    assertEquals(0.1, o.protectionRule().pHigh());
  }
}
