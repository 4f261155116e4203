package dev.baton.benchmarks;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** Writes the results: {@code results.json}, {@code RESULTS.md} and the cold-start chart (SVG). */
final class Report {

  static final double SIZE_TARGET_BYTES = 800 * 1024;
  static final double PER_CALL_TARGET = 1.05;
  static final int ASPECTJ_CLASSES_TARGET = 2;
  /** Issue 17: what the X-Ray route may add to a warm invocation, as its caller sees it. */
  static final double XRAY_ADDED_TARGET_MS = 0.1;

  private final List<JdkResults> jdks;
  private final PackageSize size;
  private final int runs;
  private final int warmUp;
  private final int invocations;
  private final Set<Part> parts;
  private final PreviousResults previous;

  /** The report of a run of every part. */
  Report(List<JdkResults> jdks, PackageSize size, int runs, int warmUp, int invocations) {
    this(jdks, size, runs, warmUp, invocations, EnumSet.allOf(Part.class), PreviousResults.none());
  }

  /**
   * The report of a run of {@code parts} ({@code size} null without {@link Part#SIZE}); the
   * sections of the other parts are taken from {@code previous}, as an earlier run wrote them.
   */
  Report(List<JdkResults> jdks, PackageSize size, int runs, int warmUp, int invocations, Set<Part> parts,
      PreviousResults previous) {
    this.jdks = jdks;
    this.size = size;
    this.runs = runs;
    this.warmUp = warmUp;
    this.invocations = invocations;
    this.parts = EnumSet.copyOf(parts);
    this.previous = previous;
  }

  // ---------------------------------------------------------------- results.json

  /** A section of a JDK in {@code results.json}: its name, the part that measures it, its text. */
  private record JsonSection(String name, Part part, Function<JdkResults, String> text) {}

  private List<JsonSection> jsonSections() {
    return List.of(
        new JsonSection("cold_start_ms", Part.COLD, r -> section("cold_start_ms", coldEntries(r, true))),
        new JsonSection("rss_mb", Part.COLD, r -> section("rss_mb", coldEntries(r, false))),
        new JsonSection("per_call_ns", Part.JMH, r -> section("per_call_ns", List.of(
            entry(Variant.UNTRACED.key, num(r.perCall(Variant.UNTRACED))),
            entry(Variant.HANDWRITTEN.key, num(r.perCall(Variant.HANDWRITTEN))),
            entry(Variant.BATON.key, num(r.perCall(Variant.BATON)))))),
        new JsonSection("build_s", Part.BUILD, r -> section("build_s", List.of(
            entry("javac", num(r.buildCost().javac().median())),
            entry("baton", num(r.buildCost().baton().median())),
            entry("javac_rebuild", num(r.buildCost().javacRebuild().median())),
            entry("baton_rebuild", num(r.buildCost().batonRebuild().median()))))),
        new JsonSection("size_bytes", Part.SIZE, r -> section("size_bytes", List.of(
            entry("baton", Long.toString(size.addedBytes(Variant.BATON))),
            entry("otel_agent", Long.toString(size.agentBytes()))))),
        new JsonSection("baton_xray", Part.COLD, r -> section("baton_xray", List.of(
            entry("cold_start_ms", stats(r.cold(Variant.BATON_XRAY).millis())),
            entry("rss_mb", stats(r.cold(Variant.BATON_XRAY).rssMb()))))),
        new JsonSection("warm_latency_ms", Part.WARM, r -> section("warm_latency_ms", List.of(
            entry(Variant.UNTRACED.key, warm(r.warm(Variant.UNTRACED))),
            entry(Variant.BATON.key, warm(r.warm(Variant.BATON))),
            entry(Variant.BATON_XRAY.key, warm(r.warm(Variant.BATON_XRAY))),
            entry(Variant.BATON_XRAY_AFTER_RESPONSE.key, warm(r.warm(Variant.BATON_XRAY_AFTER_RESPONSE))),
            entry(Variant.BATON_BEFORE_RESPONSE.key, warm(r.warm(Variant.BATON_BEFORE_RESPONSE)))))),
        new JsonSection("cold_start_added_ms", Part.COLD, r -> {
          List<String> entries = new ArrayList<>();
          for (Variant v : Variant.COLD_STARTED) {
            if (v != Variant.UNTRACED) {
              WarmLatency.Difference d = r.coldAdded(v);
              entries.add(entry(v.key, "{\"median\": " + num(d.median()) + ", \"ci95_low\": " + num(d.low())
                  + ", \"ci95_high\": " + num(d.high()) + ", \"classes\": " + r.cold(v).loadedClasses().size() + "}"));
            }
          }
          entries.add(entry(Variant.UNTRACED.key, "{\"classes\": " + r.cold(Variant.UNTRACED).loadedClasses().size() + "}"));
          return section("cold_start_added_ms", entries);
        }),
        new JsonSection("export_placement_ms", Part.EXPORT, r -> {
          List<String> entries = new ArrayList<>();
          for (int delay : ExportPlacement.DELAYS_MILLIS) {
            List<String> variants = new ArrayList<>();
            for (Variant v : ExportPlacement.VARIANTS) {
              ExportPlacement.Result e = r.export(delay, v);
              variants.add("\"" + v.key + "\": {\"caller\": " + series(e.caller()) + ", \"billed\": " + series(e.billed()) + "}");
            }
            entries.add(entry("collector_" + delay + "ms", "{" + String.join(", ", variants) + "}"));
          }
          return section("export_placement_ms", entries);
        }),
        new JsonSection("dropped_per_call_ns", Part.JMH, r -> section("dropped_per_call_ns", List.of(
            entry("record_only", num(r.droppedCall("record_only"))),
            entry("plain", num(r.droppedCall("plain"))),
            entry("sampled", num(r.droppedCall("sampled")))))),
        new JsonSection("dropped_warm_invocation_us", Part.JMH, r -> section("dropped_warm_invocation_us", List.of(
            entry("record_only", num(r.warmInvocation(Variant.BATON_DROPPED_RECORD_ONLY))),
            entry("plain", num(r.warmInvocation(Variant.BATON_DROPPED_PLAIN)))))),
        new JsonSection("dropped_warm_latency_ms", Part.WARM, r -> {
          WarmLatency.Difference d = r.warmDifference(Variant.BATON_DROPPED_RECORD_ONLY, Variant.BATON_DROPPED_PLAIN);
          return section("dropped_warm_latency_ms", List.of(
              entry("record_only", warm(r.warm(Variant.BATON_DROPPED_RECORD_ONLY))),
              entry("plain", warm(r.warm(Variant.BATON_DROPPED_PLAIN))),
              entry("record_only_minus_plain", "{\"median\": " + ms(d.median()) + ", \"ci95_low\": " + ms(d.low())
                  + ", \"ci95_high\": " + ms(d.high()) + "}")));
        }));
  }

  /**
   * Per JDK, every section: measured in this run, or, for a part this run did not measure, as the
   * earlier {@code results.json} had it. A JDK measured before but not now keeps its sections.
   */
  String json() {
    List<String> blocks = new ArrayList<>();
    List<String> measured = new ArrayList<>();
    for (JdkResults r : jdks) {
      String jdk = "jdk" + r.jdk().name();
      measured.add(jdk);
      List<String> sections = new ArrayList<>();
      for (JsonSection section : jsonSections()) {
        String text = parts.contains(section.part()) ? section.text().apply(r) : previous.jsonSection(jdk, section.name());
        if (text != null) {
          sections.add(text);
        }
      }
      blocks.add(jdkBlock(jdk, sections));
    }
    for (String jdk : previous.jdks()) {
      if (!measured.contains(jdk)) {
        blocks.add(jdkBlock(jdk, new ArrayList<>(previous.jsonSections(jdk).values())));
      }
    }
    return "{\n" + String.join(",\n", blocks) + "\n}\n";
  }

  private static String jdkBlock(String jdk, List<String> sections) {
    return "  \"" + jdk + "\": {\n" + String.join(",\n", sections) + "\n  }";
  }

  private static String section(String name, List<String> entries) {
    return "    \"" + name + "\": {\n      " + String.join(",\n      ", entries) + "\n    }";
  }

  private static String entry(String key, String value) {
    return "\"" + key + "\": " + value;
  }

  private static List<String> coldEntries(JdkResults r, boolean millis) {
    List<String> entries = new ArrayList<>();
    for (Variant v : Variant.REPORTED) {
      entries.add(entry(v.key, stats(millis ? r.cold(v).millis() : r.cold(v).rssMb())));
    }
    return entries;
  }

  private static String series(ExportPlacement.Series e) {
    return "{\"median\": " + ms(e.millis().median()) + ", \"p90\": " + ms(e.p90()) + ", \"added_over_untraced\": "
        + ms(e.addedMillis()) + "}";
  }

  private static String warm(WarmLatency.Result w) {
    return "{\"median\": " + ms(w.millis().median()) + ", \"p90\": " + ms(w.p90()) + ", \"added_over_untraced\": "
        + ms(w.addedMillis()) + "}";
  }

  /** A JMH score, or null when the benchmark gave none (it failed). */
  private static String num(JmhRun.Score score) {
    return score == null ? "null" : num(score.score());
  }

  private static String stats(Stats s) {
    return "{\"median\": " + num(s.median()) + ", \"min\": " + num(s.min()) + ", \"max\": " + num(s.max()) + "}";
  }

  private static String num(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }

  /** Milliseconds of a warm invocation, to the microsecond. */
  private static String ms(double value) {
    return String.format(Locale.ROOT, "%.3f", value);
  }

  // ---------------------------------------------------------------- RESULTS.md

  String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("# Baton benchmarks: results\n\n");
    md.append("Written by `benchmarks/run.sh` (do not edit by hand). ").append(machine()).append("\n\n");
    if (!parts.containsAll(EnumSet.allOf(Part.class))) {
      md.append("The last run measured only ")
          .append(parts.stream().map(part -> "`" + part.key() + "`").collect(Collectors.joining(", ")))
          .append(" (`run.sh --only`): the other sections, the targets among them, are as an earlier run left them.\n\n");
    }
    md.append("![Cold start, median with min-max](cold-start.svg)\n\n");
    md.append(section(EnumSet.of(Part.COLD), "Cold start", this::coldStartTables));
    md.append(section(EnumSet.of(Part.WARM), "Caller-visible latency per warm invocation", this::warmLatencyTable));
    md.append(section(EnumSet.allOf(Part.class), "Targets (reported, not asserted)", this::targets));
    md.append(section(EnumSet.of(Part.EXPORT), "Export after the response: the caller's wait and the billed duration", this::exportPlacementTables));
    md.append(section(EnumSet.of(Part.JMH), "Warm overhead (JMH)", this::perCallTables));
    md.append(section(EnumSet.of(Part.BUILD), "Build cost", this::buildTable));
    md.append(section(EnumSet.of(Part.SIZE), "Size", this::sizeTables));
    md.append(method());
    return md.toString();
  }

  /**
   * The section {@code ## heading}: written from this run when it measured every part in {@code
   * needs}, else as the earlier RESULTS.md had it (nothing if it had none).
   */
  private String section(Set<Part> needs, String heading, Supplier<String> text) {
    if (parts.containsAll(needs)) {
      return text.get();
    }
    String earlier = previous.markdownSection(heading);
    return earlier == null ? "" : earlier;
  }

  String coldStartTables() {
    StringBuilder md = new StringBuilder("## Cold start\n\n");
    md.append("From launching the JVM (the real AWS runtime interface client) to the first response received, ")
        .append(runs).append(" interleaved rounds per JDK, each starting every variant once (order rotated); added over untraced is the median of the per-round differences to untraced's cold start, with its 95% confidence interval; peak RSS is the function JVM's `VmHWM`. ")
        .append("Spans: what the local OTLP receiver (for X-Ray, the daemon stand-in) got from one invocation. Classes: loaded by the JVM (`-Xlog:class+load`, one extra run).\n\n");
    for (JdkResults r : jdks) {
      Stats untraced = r.cold(Variant.UNTRACED).millis();
      Stats handwritten = r.cold(Variant.HANDWRITTEN).millis();
      md.append("### JDK ").append(r.jdk().name()).append("\n\n");
      md.append("| variant | median ms | min | max | added over untraced, paired (95% CI) | vs hand-written | peak RSS MB (median, min-max) | spans | classes |\n");
      md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
      for (Variant v : Variant.COLD_STARTED) {
        ColdStartSeries.Result c = r.cold(v);
        String added = "";
        if (v != Variant.UNTRACED) {
          WarmLatency.Difference d = r.coldAdded(v);
          added = String.format(Locale.ROOT, "%+.0f ms (%+.0f to %+.0f)", d.median(), d.low(), d.high());
        }
        md.append(String.format(Locale.ROOT, "| %s | **%.0f** | %.0f | %.0f | %s | %.2fx | %.1f (%.1f-%.1f) | %d | %d |%n",
            label(v), c.millis().median(), c.millis().min(), c.millis().max(), added,
            c.millis().median() / handwritten.median(), c.rssMb().median(), c.rssMb().min(), c.rssMb().max(),
            c.spans(), c.loadedClasses().size()));
      }
      md.append('\n');
    }
    return md.toString();
  }

  String exportPlacementTables() {
    StringBuilder md = new StringBuilder("## Export after the response: the caller's wait and the billed duration\n\n");
    md.append("Each variant as one function JVM through the real runtime client on the fixtures' `LocalLambdaRuntime` (Lambda's Runtime and ")
        .append("Extensions APIs: the response goes to the caller as soon as the runtime posts it; the invoke phase, and the billed ")
        .append("duration, end when the runtime and every extension have asked for their next event; the JVM is then frozen with `SIGSTOP`). ")
        .append("Each traced variant exports to an OTLP receiver of its own that answers every export after the collector's delay. ")
        .append("Caller: from handing the event over to the response; billed: from handing the event over to the end of the invoke phase. ")
        .append(warmUp).append(" warm-up invocations, then ").append(invocations).append(" measured ones per variant and delay, in rounds that invoke ")
        .append("every variant once (order rotated, ").append(ExportPlacement.PAUSE_MILLIS).append(" ms pause before each); added: the median ")
        .append("of the paired differences to untraced within a round.\n\n");
    md.append("| JDK | collector | variant | caller median ms | p90 | added | billed median ms | p90 | added | spans |\n");
    md.append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (JdkResults r : jdks) {
      for (int delay : ExportPlacement.DELAYS_MILLIS) {
        for (Variant v : ExportPlacement.VARIANTS) {
          ExportPlacement.Result e = r.export(delay, v);
          md.append(String.format(Locale.ROOT, "| %s | %d ms | %s | **%.3f** | %.3f | %s | %.3f | %.3f | %s | %.1f |%n",
              r.jdk().name(), delay, label(v), e.caller().millis().median(), e.caller().p90(),
              v == Variant.UNTRACED ? "" : String.format(Locale.ROOT, "%+.3f", e.caller().addedMillis()),
              e.billed().millis().median(), e.billed().p90(),
              v == Variant.UNTRACED ? "" : String.format(Locale.ROOT, "%+.3f", e.billed().addedMillis()),
              e.spansPerInvocation()));
        }
      }
    }
    md.append('\n');
    return md.toString();
  }

  String warmLatencyTable() {
    StringBuilder md = new StringBuilder("## Caller-visible latency per warm invocation\n\n");
    md.append("What the caller waits for once the function is warm: one function JVM per variant (the real runtime client, ")
        .append("Lambda's JVM settings), each invocation timed at the local Runtime API from answering `next` with the event to ")
        .append("receiving the function's `response`, the export before the response included. `baton` exports over OTLP/HTTP to a ")
        .append("local receiver that answers at once, `baton_xray` sends UDP datagrams to a local stand-in for Lambda's X-Ray daemon. ")
        .append("`baton_dropped_record_only` and `baton_dropped_plain` are `baton` with a head sampler that drops every invocation ")
        .append("(`OTEL_TRACES_SAMPLER=traceidratio`, `OTEL_TRACES_SAMPLER_ARG=0`): by default Baton records the dropped spans and ")
        .append("lets them go when the invocation succeeds (failed invocations are always exported); with `BATON_ALWAYS_SAMPLE_ERRORS=false` ")
        .append("(`_plain`) the drop is final. ")
        .append(warmUp).append(" warm-up invocations, then ").append(invocations).append(" measured ones per variant, in rounds ")
        .append("that invoke every variant once, one at a time (order rotated, ").append(WarmLatency.PAUSE_MILLIS)
        .append(" ms pause before each). Added over untraced: the median of the paired differences (each round's ")
        .append("invocation minus untraced's in the same round). Spans: received per invocation.\n\n");
    md.append("| JDK | variant | median ms | p90 ms | min | max | added over untraced, ms | spans |\n");
    md.append("|---|---|---:|---:|---:|---:|---:|---:|\n");
    for (JdkResults r : jdks) {
      for (Variant v : WarmLatency.VARIANTS) {
        WarmLatency.Result w = r.warm(v);
        md.append(String.format(Locale.ROOT, "| %s | %s | **%.3f** | %.3f | %.3f | %.3f | %s | %.1f |%n",
            r.jdk().name(), warmLabel(v), w.millis().median(), w.p90(), w.millis().min(), w.millis().max(),
            v == Variant.UNTRACED ? "" : String.format(Locale.ROOT, "%+.3f", w.addedMillis()), w.spansPerInvocation()));
      }
    }
    md.append("\nWhat recording a dropped invocation's spans costs a successful invocation: `baton_dropped_record_only` minus ")
        .append("`baton_dropped_plain`, the median of the paired differences (same round), with its 95% confidence interval: ");
    md.append(jdks.stream().map(r -> {
      WarmLatency.Difference d = r.warmDifference(Variant.BATON_DROPPED_RECORD_ONLY, Variant.BATON_DROPPED_PLAIN);
      return String.format(Locale.ROOT, "JDK %s **%+.3f ms** (%+.3f to %+.3f)", r.jdk().name(), d.median(), d.low(), d.high());
    }).collect(Collectors.joining(", "))).append(".\n");
    md.append("\nWhat Baton's internal extension costs the caller with nothing to export: `baton_dropped_plain` (extension ")
        .append("registered, woken for each invocation) minus `baton_dropped_plain_before_response` (none): ")
        .append(differences(Variant.BATON_DROPPED_PLAIN, Variant.BATON_DROPPED_PLAIN_BEFORE_RESPONSE))
        .append(". X-Ray's datagrams sent from the extension after the response (`baton_xray_after_response`) minus sent ")
        .append("before it on the invoking thread (`baton_xray`, the default for X-Ray): ")
        .append(differences(Variant.BATON_XRAY_AFTER_RESPONSE, Variant.BATON_XRAY)).append(".\n");
    return md.append('\n').toString();
  }

  /** Each JDK's paired difference of {@code variant} minus {@code baseline}, with its 95% CI. */
  private String differences(Variant variant, Variant baseline) {
    return jdks.stream().map(r -> {
      WarmLatency.Difference d = r.warmDifference(variant, baseline);
      return String.format(Locale.ROOT, "JDK %s **%+.3f ms** (%+.3f to %+.3f)", r.jdk().name(), d.median(), d.low(), d.high());
    }).collect(Collectors.joining(", "));
  }

  private String targets() {
    StringBuilder md = new StringBuilder("## Targets (reported, not asserted)\n\n");
    md.append("| target | ");
    jdks.forEach(r -> md.append("JDK ").append(r.jdk().name()).append(" | "));
    md.append("\n|---|");
    jdks.forEach(r -> md.append("---|"));
    md.append('\n');
    md.append("| Baton cold start <= hand-written OpenTelemetry's (ratio of medians <= 1.00) | ");
    jdks.forEach(r -> md.append(verdict(ratio(r), 1.0, "%.3f")).append(" | "));
    md.append("\n| Baton per call <= 1.05x hand-written | ");
    jdks.forEach(r -> md.append(verdict(r.perCall(Variant.BATON).score() / r.perCall(Variant.HANDWRITTEN).score(), PER_CALL_TARGET, "%.2fx")).append(" | "));
    md.append("\n| At most 2 AspectJ runtime classes loaded | ");
    jdks.forEach(r -> md.append(verdict(r.cold(Variant.BATON).aspectjClasses().size(), ASPECTJ_CLASSES_TARGET, "%.0f")).append(" | "));
    md.append("\n| <= 800 KB added to the deployment package | ");
    jdks.forEach(r -> md.append(verdict(size.addedBytes(Variant.BATON) / 1024.0, SIZE_TARGET_BYTES / 1024, "%.0f KB")).append(" | "));
    md.append("\n| X-Ray route adds < 0.1 ms per warm invocation over untraced (issue 17) | ");
    jdks.forEach(r -> md.append(below(r.warm(Variant.BATON_XRAY).addedMillis(), XRAY_ADDED_TARGET_MS, "%+.3f ms")).append(" | "));
    md.append("\n\n");
    md.append(whyMissed());
    return md.toString();
  }

  private static double ratio(JdkResults r) {
    return r.cold(Variant.BATON).millis().median() / r.cold(Variant.HANDWRITTEN).millis().median();
  }

  private static String verdict(double value, double limit, String format) {
    return (value <= limit ? "met: " : "**missed**: ") + String.format(Locale.ROOT, format, value);
  }

  private static String below(double value, double limit, String format) {
    return (value < limit ? "met: " : "**missed**: ") + String.format(Locale.ROOT, format, value);
  }

  /** The facts behind each target, computed from this run. */
  private String whyMissed() {
    StringBuilder md = new StringBuilder("### What the run shows about each target\n\n");
    for (JdkResults r : jdks) {
      ColdStartSeries.Result baton = r.cold(Variant.BATON);
      ColdStartSeries.Result handwritten = r.cold(Variant.HANDWRITTEN);
      Set<String> extra = normalized(baton.loadedClasses());
      extra.removeAll(normalized(handwritten.loadedClasses()));
      Set<String> fewer = normalized(handwritten.loadedClasses());
      fewer.removeAll(normalized(baton.loadedClasses()));
      md.append(String.format(Locale.ROOT,
          "- JDK %s, cold start: Baton %.0f ms vs hand-written %.0f ms (ratio %.3f; the spread of either is %.0f-%.0f ms). "
              + "Baton's JVM loads %d classes that the hand-written one does not (by package: %s), and the hand-written one loads %d that Baton's does not (%s). "
              + "AspectJ runtime classes loaded: %s.%n",
          r.jdk().name(), baton.millis().median(), handwritten.millis().median(), ratio(r),
          Math.min(baton.millis().min(), handwritten.millis().min()), Math.max(baton.millis().max(), handwritten.millis().max()),
          extra.size(), byPackage(extra), fewer.size(), byPackage(fewer),
          baton.aspectjClasses().isEmpty() ? "none" : baton.aspectjClasses().stream().map(c -> "`" + c + "`").collect(Collectors.joining(", "))));
    }
    for (JdkResults r : jdks) {
      ColdStartSeries.Result otlp = r.cold(Variant.BATON);
      ColdStartSeries.Result xray = r.cold(Variant.BATON_XRAY);
      Set<String> extra = normalized(xray.loadedClasses());
      extra.removeAll(normalized(otlp.loadedClasses()));
      Set<String> fewer = normalized(otlp.loadedClasses());
      fewer.removeAll(normalized(xray.loadedClasses()));
      md.append(String.format(Locale.ROOT,
          "- JDK %s, X-Ray route: cold start %.0f ms vs %.0f ms over OTLP/HTTP (%+.0f ms; untraced %.0f ms); it loads %d classes the OTLP/HTTP one does not (%s) "
              + "and %d fewer (%s). Per warm invocation it adds %+.3f ms over untraced (median of paired differences), OTLP/HTTP %+.3f ms.%n",
          r.jdk().name(), xray.millis().median(), otlp.millis().median(), xray.millis().median() - otlp.millis().median(),
          r.cold(Variant.UNTRACED).millis().median(), extra.size(), byPackage(extra), fewer.size(), byPackage(fewer),
          r.warm(Variant.BATON_XRAY).addedMillis(), r.warm(Variant.BATON).addedMillis()));
    }
    md.append(String.format(Locale.ROOT, "- Size: Baton adds %,d bytes (%s); hand-written OpenTelemetry adds %,d. The jars Baton's package has and the untraced one has not:%n%n",
        size.addedBytes(Variant.BATON), size.addedBytes(Variant.BATON) <= SIZE_TARGET_BYTES ? "within 800 KB" : "over 800 KB", size.addedBytes(Variant.HANDWRITTEN)));
    md.append("  | jar | bytes |\n  |---|---:|\n");
    size.addedJars().entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> md.append(String.format(Locale.ROOT, "  | %s | %,d |%n", e.getKey(), e.getValue())));
    long jars = size.addedJars().values().stream().mapToLong(Long::longValue).sum();
    md.append(String.format(Locale.ROOT, "  | the function's own classes (generated and woven), zipped | %,d |%n%n",
        size.addedBytes(Variant.BATON) - jars));
    return md.toString();
  }

  /** Class names without the run-specific parts of lambda and hidden class names ({@code $$Lambda$12/0x...}). */
  private static Set<String> normalized(List<String> classes) {
    Set<String> names = new TreeSet<>();
    for (String name : classes) {
      names.add(name.replaceAll("/0x[0-9a-f]+", "").replaceAll("\\$\\$Lambda\\$?[0-9]*", "\\$\\$Lambda"));
    }
    return names;
  }

  private static String byPackage(Set<String> classes) {
    Map<String, Integer> counts = new TreeMap<>();
    for (String name : classes) {
      String[] parts = name.split("\\.");
      String pkg = String.join(".", java.util.Arrays.copyOf(parts, Math.min(parts.length - 1, 4)));
      counts.merge(pkg, 1, Integer::sum);
    }
    return counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(8)
        .map(e -> "`" + e.getKey() + "` " + e.getValue()).collect(Collectors.joining(", "));
  }

  String perCallTables() {
    StringBuilder md = new StringBuilder("## Warm overhead (JMH)\n\n");
    md.append("A `@Traced` method (two span attributes) woven by Baton, the same span written by hand, and the method untraced; ")
        .append("both traced versions record into the same SDK (always sampled, a synchronous processor whose exporter discards). ")
        .append("Then a whole warm invocation of each function variant in-process (parse, price, SQS send to ElasticMQ, and for the traced ones five spans and the OTLP flush). Score ± 99.9% error.\n\n");
    md.append("| JDK | untraced ns/op | hand-written ns/op | Baton ns/op | Baton / hand-written | warm invocation µs: untraced | hand-written | Baton |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (JdkResults r : jdks) {
      md.append("| ").append(r.jdk().name()).append(" | ")
          .append(score(r.perCall(Variant.UNTRACED))).append(" | ")
          .append(score(r.perCall(Variant.HANDWRITTEN))).append(" | ")
          .append(score(r.perCall(Variant.BATON))).append(" | ")
          .append(String.format(Locale.ROOT, "%.2fx", r.perCall(Variant.BATON).score() / r.perCall(Variant.HANDWRITTEN).score())).append(" | ")
          .append(score(r.warmInvocation(Variant.UNTRACED))).append(" | ")
          .append(score(r.warmInvocation(Variant.HANDWRITTEN))).append(" | ")
          .append(score(r.warmInvocation(Variant.BATON))).append(" |\n");
    }
    md.append("\n### When the head sampler drops the invocation\n\n");
    md.append("The same `@Traced` method on Baton's built-in setup, set up as a function is (the settings as system properties, then ")
        .append("the setup the generated handler code starts), with `otel.traces.sampler=traceidratio`: called inside an invocation ")
        .append("(the context `LambdaInvocation` makes: what the buffer's `begin()` gave, and an invocation span, the calls' parent), ")
        .append("100 calls per invocation, the invocation's span, begin and end shared out over its calls. Record-only: ratio 0, ")
        .append("the default (the dropped spans are recorded, kept with the invocation and let go at its successful end); plain drop: ")
        .append("ratio 0 and `baton.always.sample.errors=false`; sampled: ratio 1, for reference, up to the export (the spans made ")
        .append("`SpanData` and kept for it; the export, an HTTP round trip to a receiver on the same cores, is left out: it is in ")
        .append("the per-invocation figures). Then the whole warm invocation in-process, as above, of the `baton` ")
        .append("package with ratio 0, record-only and plain drop.\n\n");
    md.append("| JDK | plain drop ns/call | record-only ns/call | record-only minus plain drop | sampled ns/call (up to the export) ")
        .append("| warm invocation µs: plain drop | record-only |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|\n");
    for (JdkResults r : jdks) {
      JmhRun.Score plain = r.droppedCall("plain");
      JmhRun.Score recordOnly = r.droppedCall("record_only");
      md.append("| ").append(r.jdk().name()).append(" | ")
          .append(score(plain)).append(" | ")
          .append(score(recordOnly)).append(" | ")
          .append(plain == null || recordOnly == null ? "n/a" : String.format(Locale.ROOT, "%+.1f ns", recordOnly.score() - plain.score())).append(" | ")
          .append(score(r.droppedCall("sampled"))).append(" | ")
          .append(score(r.warmInvocation(Variant.BATON_DROPPED_PLAIN))).append(" | ")
          .append(score(r.warmInvocation(Variant.BATON_DROPPED_RECORD_ONLY))).append(" |\n");
    }
    return md.append('\n').toString();
  }

  private static String score(JmhRun.Score score) {
    if (score == null) {
      return "n/a";
    }
    return Double.isNaN(score.error())
        ? String.format(Locale.ROOT, "%.1f", score.score())
        : String.format(Locale.ROOT, "%.1f ± %.1f", score.score(), score.error());
  }

  String buildTable() {
    StringBuilder md = new StringBuilder("## Build cost\n\n");
    md.append("A generated module of ").append(BuildCost.CLASSES).append(" classes with ").append(BuildCost.TRACED_METHODS)
        .append(" `@Traced` methods, `mvnw -o clean process-classes`: javac alone (`-proc:none`) vs javac + Baton's processor + `baton:weave`. ")
        .append("Wall-clock seconds, median (min-max); Maven's own start (`validate`) is shown so it can be subtracted. ")
        .append("Rebuild: after each build from scratch, one class (`").append(BuildCost.CHANGED_CLASS)
        .append("`) changed and the module built again without `clean`: javac compiles all of it again, `baton:weave` weaves only the changed class.\n\n");
    md.append("| JDK | javac s | javac + Baton s | Baton adds | Maven start s | rebuild: javac s | rebuild: javac + Baton s | rebuild: Baton adds |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (JdkResults r : jdks) {
      BuildCost.Result b = r.buildCost();
      md.append(String.format(Locale.ROOT, "| %s | %.1f (%.1f-%.1f) | %.1f (%.1f-%.1f) | +%.1f s (%.2fx) | %.1f | %.1f (%.1f-%.1f) | %.1f (%.1f-%.1f) | +%.1f s (%.2fx) |%n",
          r.jdk().name(), b.javac().median(), b.javac().min(), b.javac().max(), b.baton().median(), b.baton().min(),
          b.baton().max(), b.baton().median() - b.javac().median(), b.baton().median() / b.javac().median(), b.mavenStart().median(),
          b.javacRebuild().median(), b.javacRebuild().min(), b.javacRebuild().max(),
          b.batonRebuild().median(), b.batonRebuild().min(), b.batonRebuild().max(),
          b.batonRebuild().median() - b.javacRebuild().median(), b.batonRebuild().median() / b.javacRebuild().median()));
    }
    return md.append('\n').toString();
  }

  String sizeTables() {
    StringBuilder md = new StringBuilder("## Size\n\n");
    md.append("Deployment package = the function's classes zipped + its runtime jars (what Lambda's Java runtime loads). ")
        .append("Added = the variant's package minus the untraced one's.\n\n");
    md.append("| | package bytes | added bytes |\n|---|---:|---:|\n");
    for (Map.Entry<String, Long> e : size.packageBytes().entrySet()) {
      md.append(String.format(Locale.ROOT, "| %s | %,d | %,d |%n", e.getKey(), e.getValue(),
          e.getValue() - size.packageBytes().get(Variant.UNTRACED.key)));
    }
    md.append(String.format(Locale.ROOT, "| OpenTelemetry Java agent (jar, on top of the untraced package) | | %,d |%n%n", size.agentBytes()));
    return md.toString();
  }

  private String method() {
    return """
        ## How it was measured

        - One function, `POST /orders` (`benchmarks/function/`): parse, price, one SQS `SendMessage` to ElasticMQ, answer 201;
          three `@Traced` methods and a `@TracedHandler`. Five builds of it from Maven, run as nine variants:
          `untraced`; `handwritten` (the same spans written by hand on the OpenTelemetry SDK as its documentation shows: `OpenTelemetrySdk`, OTLP/HTTP on the
          JDK HTTP sender, a batch processor flushed before each response); `baton` (the untraced sources, Baton's
          processor and `baton:weave`, and nothing else: zero code, so the handler starts Baton's trace-only SDK from the
          `OTEL_*` settings, OTLP/HTTP on a socket of its own, spans buffered per invocation and exported after each
          response on the thread of Baton's internal extension); `baton_before_response` (the same build with
          `BATON_EXPORT=before-response`: exported before each response, on the invoking thread);
          `otel_agent` (the untraced build under `-javaagent:opentelemetry-javaagent` 2.33.1, with
          `OTEL_INSTRUMENTATION_METHODS_INCLUDE` for the three methods so that it exports the same spans);
          `baton_sdk` (Baton given the very SDK code of `handwritten` with `Baton.useOpenTelemetry(sdk)`: what the woven
          code costs on its own) and `baton_autoconfigure` (zero code with the autoconfigure module on the classpath, so
          the SDK comes from autoconfigure), neither in `results.json`; and `baton_xray` (the `baton` build with
          `OTEL_TRACES_EXPORTER=xray` and `AWS_XRAY_DAEMON_ADDRESS`: the same spans as OTLP protobuf in UDP datagrams to
          Lambda's X-Ray daemon, exported before each response), in a section of its own in `results.json`. Per warm
          invocation only: `baton_dropped_record_only` and `baton_dropped_plain` (the `baton` build with
          `OTEL_TRACES_SAMPLER=traceidratio`, `OTEL_TRACES_SAMPLER_ARG=0`, and for the second
          `BATON_ALWAYS_SAMPLE_ERRORS=false`), in the `dropped_*` sections of `results.json` with the JMH figures of the same.
        - Each cold start is a fresh JVM (`%s`, as Lambda's Java runtime starts
          it for a 512 MB function) running `com.amazonaws.services.lambda.runtime.api.client.AWSLambda` against a
          Runtime API in the harness (with the part of the Extensions API an internal extension uses: the cold start ends
          at the first response, and the JVM is stopped only once the extension has asked for its next event), exporting to an OTLP/HTTP receiver in the harness (`baton_xray`: to a UDP stand-in
          for the X-Ray daemon in the harness, which decodes every datagram); ElasticMQ runs in the harness too. The
          event carries a W3C `traceparent` and Lambda's X-Ray header says `Sampled=1`, as with active tracing.
        - The warm invocations run the same way, one long-lived function JVM per variant. The harness's Runtime APIs and
          OTLP receiver answer with `TCP_NODELAY` (`-Dsun.net.httpserver.nodelay=true`), as Lambda's own do.
        - The machine: 2 cores shared by the function JVMs, the harness, ElasticMQ, the receiver and the daemon stand-in;
          figures from another machine are not comparable, ratios are.
        """.formatted(String.join(" ", ColdStart.LAMBDA_JVM_ARGUMENTS));
  }

  private static String machine() {
    return String.format(Locale.ROOT, "Machine: %d cores, %s %s.", Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.name"), System.getProperty("os.arch"));
  }

  private static String warmLabel(Variant v) {
    return switch (v) {
      case BATON -> "**Baton**, OTLP/HTTP";
      case BATON_XRAY -> "**Baton**, X-Ray (UDP), sent before the response (default)";
      case BATON_XRAY_AFTER_RESPONSE -> "**Baton**, X-Ray (UDP), sent by the extension after the response";
      case BATON_DROPPED_PLAIN_BEFORE_RESPONSE -> "**Baton**, OTLP/HTTP, sampler drops all: plain drop, no extension";
      case BATON_DROPPED_RECORD_ONLY -> "**Baton**, OTLP/HTTP, sampler drops all: record-only (default)";
      case BATON_DROPPED_PLAIN -> "**Baton**, OTLP/HTTP, sampler drops all: plain drop";
      case BATON_BEFORE_RESPONSE -> "**Baton**, OTLP/HTTP, export before the response";
      default -> label(v);
    };
  }

  private static String label(Variant v) {
    return switch (v) {
      case UNTRACED -> "untraced";
      case HANDWRITTEN -> "hand-written OpenTelemetry";
      case BATON -> "**Baton** (export after the response)";
      case OTEL_AGENT -> "OpenTelemetry Java agent";
      case BATON_SDK -> "Baton, given the hand-written SDK";
      case BATON_AUTOCONFIGURE -> "Baton, zero-code with autoconfigure";
      case BATON_XRAY -> "**Baton**, X-Ray (UDP to the daemon)";
      case BATON_DROPPED_RECORD_ONLY -> "**Baton**, sampler drops all, record-only";
      case BATON_DROPPED_PLAIN -> "**Baton**, sampler drops all, plain drop";
      case BATON_BEFORE_RESPONSE -> "**Baton**, export before the response";
      case BATON_XRAY_AFTER_RESPONSE -> "**Baton**, X-Ray, sent after the response by the extension";
      case BATON_DROPPED_PLAIN_BEFORE_RESPONSE -> "**Baton**, sampler drops all, plain drop, no extension";
    };
  }

  // ---------------------------------------------------------------- chart

  /** Horizontal bars of the median cold start per variant and JDK, with min-max whiskers. */
  String chart() {
    int rowHeight = 22;
    int labelWidth = 250;
    int plotWidth = 560;
    int groupGap = 18;
    double max = 0;
    for (JdkResults r : jdks) {
      for (Variant v : Variant.COLD_STARTED) {
        max = Math.max(max, r.cold(v).millis().max());
      }
    }
    double scale = plotWidth / (Math.ceil(max / 1000) * 1000);
    int height = 40 + jdks.size() * (Variant.COLD_STARTED.size() * rowHeight + groupGap + 20) + 30;
    StringBuilder svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">%n",
        labelWidth + plotWidth + 90, height));
    svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    svg.append("<text x=\"10\" y=\"20\" font-size=\"14\" font-weight=\"bold\">Cold start to first response, ms (median; whiskers: min-max)</text>\n");
    int y = 40;
    List<String> colours = List.of("#9e9e9e", "#1f77b4", "#2ca02c", "#d62728", "#98df8a", "#c5e5b4", "#17becf", "#8c564b", "#bcbd22", "#e377c2", "#ff7f0e");
    for (JdkResults r : jdks) {
      svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\" font-weight=\"bold\">JDK %s</text>%n", y + 12, r.jdk().name()));
      y += 20;
      for (Variant v : Variant.COLD_STARTED) {
        Stats s = r.cold(v).millis();
        double w = s.median() * scale;
        String colour = colours.get(v.ordinal() % colours.size());
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n", labelWidth - 8, y + 14, plain(v)));
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n", labelWidth, y + 3, w, rowHeight - 6, colour));
        double x1 = labelWidth + s.min() * scale;
        double x2 = labelWidth + s.max() * scale;
        int cy = y + rowHeight / 2;
        svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\"/>%n", x1, cy, x2, cy));
        svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\"/>%n", x1, cy - 4, x1, cy + 4));
        svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\"/>%n", x2, cy - 4, x2, cy + 4));
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%.0f</text>%n", x2 + 6, y + 14, s.median()));
        y += rowHeight;
      }
      y += groupGap;
    }
    for (int t = 0; t <= Math.ceil(max / 1000); t++) {
      double x = labelWidth + t * 1000 * scale;
      svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"35\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>%n", x, x, y));
      svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>%n", x, y + 15, t * 1000));
    }
    return svg.append("</svg>\n").toString();
  }

  private static String plain(Variant v) {
    return label(v).replace("**", "");
  }
}
