package io.dqspark.it.notebooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Zeppelin note ({@code .zpln}, the JSON format Zeppelin 0.9+ stores) reduced to what a runner
 * needs: its name and its paragraphs with the interpreter each one names. Committed notes must
 * carry no saved output, so a note holding {@code results} is rejected here.
 */
record ZeppelinNote(Path file, String name, List<Paragraph> paragraphs) {
  /** The interpreter directive ({@code %spark}, {@code %spark.sql}, {@code %md} ...) and the code after it. */
  record Paragraph(int index, String title, String interpreter, String code) {
    String label() {
      return "paragraph " + index + (title == null || title.isBlank() ? "" : " '" + title + "'");
    }
  }

  /** Zeppelin's default for a paragraph without a directive in a note of the spark group. */
  static final String DEFAULT_INTERPRETER = "%spark";

  static ZeppelinNote read(Path file) throws IOException {
    JsonNode root = new ObjectMapper().readTree(Files.readString(file));
    if (!root.path("paragraphs").isArray()) {
      throw new IllegalArgumentException(file + ": not a Zeppelin note (no paragraphs array)");
    }
    List<Paragraph> paragraphs = new ArrayList<>();
    int index = 0;
    for (JsonNode p : root.get("paragraphs")) {
      index++;
      if (p.has("results")) {
        throw new IllegalArgumentException(file + ": paragraph " + index + " has saved results; commit notes without output");
      }
      String text = p.path("text").asText("");
      String title = p.path("title").asText(null);
      String trimmed = text.stripLeading();
      String interpreter = DEFAULT_INTERPRETER;
      String code = text;
      if (trimmed.startsWith("%")) {
        int end = firstWhitespace(trimmed);
        interpreter = trimmed.substring(0, end);
        code = trimmed.substring(end);
      }
      paragraphs.add(new Paragraph(index, title, interpreter, code.strip()));
    }
    return new ZeppelinNote(file, root.path("name").asText(file.getFileName().toString()), paragraphs);
  }

  private static int firstWhitespace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i))) {
        return i;
      }
    }
    return s.length();
  }
}
