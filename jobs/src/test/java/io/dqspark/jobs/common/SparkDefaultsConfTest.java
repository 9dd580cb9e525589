package io.dqspark.jobs.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.spark.internal.config.ConfigEntry;
import org.junit.jupiter.api.Test;

/**
 * conf/spark-defaults.conf is read the way spark-submit reads a properties file; every key must be
 * one Spark registers (a misspelt key would be ignored by Spark with only a warning), and the JVM
 * flags must be exactly conf/java17.args, which bin/dq and the tests use.
 */
class SparkDefaultsConfTest {
  private static final Path CONF = Path.of(System.getProperty("dq.repo.root", "..")).resolve("conf");

  @Test
  void everyKeyIsASparkSettingAndTheJvmFlagsAreJava17Args() throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(CONF.resolve("spark-defaults.conf"))) {
      p.load(r);
    }
    assertTrue(p.size() >= 4, "settings: " + p.keySet());
    // Spark registers its settings when its config package object initialises
    assertNotNull(org.apache.spark.internal.config.package$.MODULE$.DRIVER_JAVA_OPTIONS());
    for (String key : p.stringPropertyNames()) {
      assertNotNull(ConfigEntry.findEntry(key), "conf/spark-defaults.conf: '" + key + "' is not a Spark setting");
    }
    String flags = Files.readAllLines(CONF.resolve("java17.args")).stream()
        .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(Collectors.joining(" "));
    for (String key : List.of("spark.driver.extraJavaOptions", "spark.executor.extraJavaOptions")) {
      assertEquals(flags, p.getProperty(key).strip(), key);
    }
  }
}
