package io.dqspark.gnn;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Runs a test class with ND4J's default types set to double (finite differences need it). */
final class DoublePrecision implements BeforeAllCallback, AfterAllCallback {
  private DataType savedType;
  private DataType savedFloatType;

  @Override
  public void beforeAll(ExtensionContext context) {
    savedType = Nd4j.dataType();
    savedFloatType = Nd4j.defaultFloatingPointType();
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    Nd4j.setDefaultDataTypes(savedType, savedFloatType);
  }
}
