package io.dqspark.jobs.common;

import com.fasterxml.jackson.databind.JsonNode;
import io.dqspark.graph.GraphLevel;
import io.dqspark.util.DqInputException;
import io.dqspark.util.HadoopFiles;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;

/**
 * {@code tables.json}: what a job's output folder holds (dataset name, level, format, tables,
 * the stage that wrote it). A reader that finds it knows the tables are already clean and can
 * skip validation and de-duplication.
 */
public record TablesManifest(String name, GraphLevel level, String format, List<String> tables, String stage) {
  public static final String FILE = "tables.json";

  public String toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("level", level.label());
    m.put("format", format);
    m.put("tables", tables);
    m.put("stage", stage);
    return Json.write(m);
  }

  /** The manifest of a finished output folder, or null when the folder has none. */
  public static TablesManifest readIfPresent(HadoopFiles files, String dir) {
    Path path = new Path(dir, FILE);
    if (!files.exists(path) || !files.exists(new Path(dir, AtomicOutput.SUCCESS))) {
      return null;
    }
    try (InputStream in = files.open(path, "--input")) {
      JsonNode n = Json.mapper().readTree(in);
      List<String> tables = new java.util.ArrayList<>();
      n.get("tables").forEach(t -> tables.add(t.asText()));
      return new TablesManifest(n.get("name").asText(), GraphLevel.valueOf(n.get("level").asText().toUpperCase()),
          n.get("format").asText(), tables, n.get("stage").asText());
    } catch (IOException | RuntimeException e) {
      throw new DqInputException(path + ": unreadable manifest: " + e.getMessage(), e);
    }
  }
}
