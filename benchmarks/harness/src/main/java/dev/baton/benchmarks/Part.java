package dev.baton.benchmarks;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The parts of a benchmark run, each measured on its own: {@code run.sh --only warm,jmh} runs
 * those and leaves the results of the others as an earlier run wrote them.
 */
enum Part {
  /** Cold starts of every variant ({@link ColdStartSeries}). */
  COLD,
  /** Caller-visible latency per warm invocation ({@link WarmLatency}). */
  WARM,
  /** The JMH benchmarks ({@link JmhRun}). */
  JMH,
  /** Caller's wait and billed duration with a slow collector, export before vs after the response ({@link ExportPlacement}). */
  EXPORT,
  /** The build cost ({@link BuildCost}). */
  BUILD,
  /** The deployment packages' size ({@link PackageSize}). */
  SIZE;

  /** The name {@code --only} takes. */
  String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The parts of a comma-separated list of keys, e.g. {@code warm,jmh}. */
  static Set<Part> parse(String keys) {
    Set<Part> parts = EnumSet.noneOf(Part.class);
    for (String key : keys.split(",")) {
      String name = key.trim().toUpperCase(Locale.ROOT);
      try {
        parts.add(Part.valueOf(name));
      } catch (IllegalArgumentException unknown) {
        throw new IllegalArgumentException("unknown part '" + key.trim() + "' in --only: say any of cold, warm, export, jmh, build, size");
      }
    }
    return parts;
  }
}
