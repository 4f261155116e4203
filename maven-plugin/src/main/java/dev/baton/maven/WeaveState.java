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
 * @param units the {@link WeaveUnits} key of every original class it wove: relative path to key;
 *     a rebuild takes the woven bytes of a class whose key is unchanged from {@link #CACHE_DIRECTORY}
 * @param joinPoints the join points woven in each original class: relative path to join points
 */
record WeaveState(
    String inputs,
    Summary summary,
    Map<String, String> woven,
    Map<String, String> generated,
    Map<String, String> units,
    Map<String, List<JoinPoint>> joinPoints) {

  static final String FILE_NAME = "weave-state.txt";

  /**
   * The directory, in the work directory, with a copy of every class the last weave wrote (woven
   * classes and compiled aspects), for a rebuild to take those of unchanged classes from.
   */
  static final String CACHE_DIRECTORY = "woven";

  /**
   * The counts a weave reports.
   *
   * @param tracedMethods {@code @Traced} methods woven
   * @param classes classes they are in
   * @param callSites call sites woven by library aspects
   */
  record Summary(int tracedMethods, int classes, int callSites) {}

  static WeaveState empty() {
    return new WeaveState("", new Summary(0, 0, 0), Map.of(), Map.of(), Map.of(), Map.of());
  }

  static WeaveState read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return empty();
    }
    String inputs = "";
    Summary summary = new Summary(0, 0, 0);
    Map<String, String> woven = new TreeMap<>();
    Map<String, String> generated = new TreeMap<>();
    Map<String, String> units = new TreeMap<>();
    Map<String, List<JoinPoint>> joinPoints = new TreeMap<>();
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
        case "unit" -> units.put(fields[2], fields[1]);
        case "joinpoint" -> {
          String[] parts = line.substring("joinpoint ".length()).split("\t", -1);
          joinPoints
              .computeIfAbsent(parts[0], path -> new ArrayList<>())
              .add(
                  new JoinPoint(
                      parts[1], parts[2], parts[3], parts[4], Integer.parseInt(parts[5]), parts[6]));
        }
        default -> {} // comments
      }
    }
    return new WeaveState(inputs, summary, woven, generated, units, joinPoints);
  }

  void write(Path file) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("# What baton:weave wrote into the classes directory. Delete target/baton to weave anew.");
    lines.add("inputs " + inputs);
    lines.add(
        "summary " + summary.tracedMethods() + " " + summary.classes() + " " + summary.callSites());
    woven.forEach((path, hash) -> lines.add("woven " + hash + " " + path));
    generated.forEach((path, hash) -> lines.add("generated " + hash + " " + path));
    units.forEach((path, key) -> lines.add("unit " + key + " " + path));
    joinPoints.forEach(
        (path, list) ->
            list.forEach(
                joinPoint ->
                    lines.add(
                        String.join(
                            "\t",
                            "joinpoint " + path,
                            joinPoint.kind(),
                            joinPoint.signature(),
                            joinPoint.type(),
                            joinPoint.sourceFile(),
                            String.valueOf(joinPoint.line()),
                            joinPoint.aspect()))));
    Files.createDirectories(file.getParent());
    Files.write(file, lines, StandardCharsets.UTF_8);
  }
}
