package dev.baton.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The results files as an earlier run wrote them, read back by a run of some parts ({@code
 * --only}) to keep the sections of the parts it does not measure: {@code results.json}'s sections
 * per JDK and {@code RESULTS.md}'s {@code ## } sections, as text. Both files are {@link Report}'s,
 * so their layout is known: in {@code results.json} a JDK opens with {@code   "jdk17": {} and each
 * of its sections with {@code     "name": {} and closes with a line {@code     }}.
 */
final class PreviousResults {

  private static final Pattern JDK = Pattern.compile("^  \"(jdk[^\"]+)\": \\{$");
  private static final Pattern SECTION = Pattern.compile("^    \"([^\"]+)\": \\{$");

  /** Per JDK key ({@code jdk17}), its sections' text by name, in the file's order. */
  private final Map<String, Map<String, String>> json;

  /** RESULTS.md's {@code ## } sections by heading (without {@code ## }), each up to the next. */
  private final Map<String, String> markdown;

  private PreviousResults(Map<String, Map<String, String>> json, Map<String, String> markdown) {
    this.json = json;
    this.markdown = markdown;
  }

  /** Nothing from before: a run of every part. */
  static PreviousResults none() {
    return new PreviousResults(Map.of(), Map.of());
  }

  /** What {@code results} holds now (nothing where a file is missing). */
  static PreviousResults read(Path results) throws IOException {
    Path jsonFile = results.resolve("results.json");
    Path markdownFile = results.resolve("RESULTS.md");
    return new PreviousResults(
        Files.exists(jsonFile) ? jsonSections(Files.readAllLines(jsonFile)) : Map.of(),
        Files.exists(markdownFile) ? markdownSections(Files.readAllLines(markdownFile)) : Map.of());
  }

  /** The JDK keys of the earlier {@code results.json}, in its order. */
  List<String> jdks() {
    return new ArrayList<>(json.keySet());
  }

  /** Section {@code name} of {@code jdk} ({@code jdk17}), from its opening line to its closing brace; null if absent. */
  String jsonSection(String jdk, String name) {
    return json.getOrDefault(jdk, Map.of()).get(name);
  }

  /** Every section of {@code jdk}, by name, in the file's order. */
  Map<String, String> jsonSections(String jdk) {
    return json.getOrDefault(jdk, Map.of());
  }

  /** The {@code ## heading} section of the earlier RESULTS.md, heading line included; null if absent. */
  String markdownSection(String heading) {
    return markdown.get(heading);
  }

  private static Map<String, Map<String, String>> jsonSections(List<String> lines) {
    Map<String, Map<String, String>> jdks = new LinkedHashMap<>();
    Map<String, String> sections = null;
    String name = null;
    StringBuilder text = null;
    for (String line : lines) {
      Matcher jdk = JDK.matcher(line);
      Matcher section = SECTION.matcher(line);
      if (jdk.matches()) {
        sections = new LinkedHashMap<>();
        jdks.put(jdk.group(1), sections);
      } else if (sections != null && name == null && section.matches()) {
        name = section.group(1);
        text = new StringBuilder(line);
      } else if (name != null) {
        if (line.equals("    }") || line.equals("    },")) {
          sections.put(name, text.append("\n    }").toString());
          name = null;
        } else {
          text.append('\n').append(line);
        }
      }
    }
    return jdks;
  }

  private static Map<String, String> markdownSections(List<String> lines) {
    Map<String, String> sections = new LinkedHashMap<>();
    String heading = null;
    StringBuilder text = null;
    for (String line : lines) {
      if (line.startsWith("## ")) {
        if (heading != null) {
          sections.put(heading, text.toString());
        }
        heading = line.substring(3);
        text = new StringBuilder();
      }
      if (heading != null) {
        text.append(line).append('\n');
      }
    }
    if (heading != null) {
      sections.put(heading, text.toString());
    }
    return sections;
  }
}
