package io.dqspark.docs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every "design §N" cited in the repository's sources, configuration and notes names a section
 * that docs/design.md has, so a reader who follows a citation finds it.
 */
class DesignCitationsTest {
  private static final Pattern HEADING = Pattern.compile("(?m)^#+ (§[0-9]+(?:\\.[0-9]+)?) ");
  private static final Pattern CITATION = Pattern.compile("design (?:\\\\u00a7|§)([0-9]+(?:\\.[0-9]+)?)");

  @Test
  void everyCitationNamesASectionOfTheDesignDocument() throws IOException {
    Path root = Path.of("..").toAbsolutePath().normalize();
    Path design = root.resolve("docs/design.md");
    assertTrue(Files.isRegularFile(design), "docs/design.md is missing under " + root);
    Set<String> sections = new HashSet<>();
    Matcher h = HEADING.matcher(Files.readString(design));
    while (h.find()) {
      sections.add(h.group(1));
    }
    List<String> unresolved = new ArrayList<>();
    int citations = 0;
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)
          .filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/.git/"))
          .filter(p -> p.toString().matches(".*\\.(java|xml|conf|md|zpln|properties)$"))
          .filter(p -> !p.equals(design))::iterator) {
        Matcher c = CITATION.matcher(Files.readString(f));
        while (c.find()) {
          citations++;
          if (!sections.contains("§" + c.group(1))) {
            unresolved.add(root.relativize(f) + ": design §" + c.group(1));
          }
        }
      }
    }
    System.out.println(citations + " design citations, " + sections.size() + " sections");
    assertTrue(citations > 0, "no citations found under " + root);
    assertTrue(unresolved.isEmpty(), "citations of sections docs/design.md lacks: " + unresolved);
  }
}
