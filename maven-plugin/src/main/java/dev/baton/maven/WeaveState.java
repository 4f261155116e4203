package dev.baton.maven;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>What the last weave wrote into the classes directory, kept in {@code
 * target/baton/weave-state.txt}, so that the next build tells our output (woven classes, compiled
 * aspects) from fresh javac output and never weaves a class twice.
 *
 * @param inputs a hash of everything the last weave read; equal inputs give equal output
 * @param summary the last weave's counts, repeated when nothing changed
 * @param woven the classes it rewrote: relative path to the hash of what it wrote
 * @param generated the classes it added (aspects): relative path to hash
 */
record WeaveState(
    String inputs, Summary summary, Map<String, String> woven, Map<String, String> generated) {

  static final String FILE_NAME = "weave-state.txt";

  /**
   * The counts a weave reports.
   *
   * @param tracedMethods {@code @Traced} methods woven
   * @param classes classes they are in
   * @param callSites call sites woven by library aspects
   */
  record Summary(int tracedMethods, int classes, int callSites) {}

  static WeaveState empty() {
    return new WeaveState("", new Summary(0, 0, 0), Map.of(), Map.of());
  }

  static WeaveState read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return empty();
    }
    String inputs = "";
    Summary summary = new Summary(0, 0, 0);
    Map<String, String> woven = new TreeMap<>();
    Map<String, String> generated = new TreeMap<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String[] fields = line.split(" ", 3);
      switch (fields[0]) {
        case "inputs" -> inputs = fields[1];
        case "summary" -> {
          String[] counts = line.split(" ");
          summary =
              new Summary(
                  Integer.parseInt(counts[1]),
                  Integer.parseInt(counts[2]),
                  Integer.parseInt(counts[3]));
        }
        case "woven" -> woven.put(fields[2], fields[1]);
        case "generated" -> generated.put(fields[2], fields[1]);
        default -> {} // comments
      }
    }
    return new WeaveState(inputs, summary, woven, generated);
  }

  void write(Path file) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("# What baton:weave wrote into the classes directory. Delete target/baton to weave anew.");
    lines.add("inputs " + inputs);
    lines.add(
        "summary " + summary.tracedMethods() + " " + summary.classes() + " " + summary.callSites());
    woven.forEach((path, hash) -> lines.add("woven " + hash + " " + path));
    generated.forEach((path, hash) -> lines.add("generated " + hash + " " + path));
    Files.createDirectories(file.getParent());
    Files.write(file, lines, StandardCharsets.UTF_8);
  }
}
