package dev.baton.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The full benchmark run ({@code benchmarks/run.sh}): cold starts, warm invocations' latency, JMH,
 * build cost on each JDK, then package sizes; writes {@code benchmarks/results/results.json},
 * {@code RESULTS.md} and {@code cold-start.svg}. {@code --quick} shortens JMH and, unless given,
 * the warm invocations. {@code --only warm,jmh} runs only those {@linkplain Part parts} (any of
 * {@code cold}, {@code warm}, {@code jmh}, {@code build}, {@code size}) and rewrites their
 * sections of the results files, keeping the others as they were.
 *
 * <pre>
 * java dev.baton.benchmarks.RunAll [--runs 15] [--build-runs 3] [--warm-up 500] [--invocations 500]
 *     [--jdk 17=/path] [--jdk 25=/path] [--quick] [--only cold,warm,jmh,build,size]
 * </pre>
 */
public final class RunAll {

  private RunAll() {}

  public static void main(String[] args) throws Exception {
    // Before this JVM's first HttpServer, which reads it: the Runtime APIs and the OTLP receiver
    // answer with TCP_NODELAY, as Lambda's do (benchmarks/run.sh passes it on the command line too).
    System.setProperty(WarmLatency.NODELAY_PROPERTY, "true");
    int runs = 30;
    int buildRuns = 3;
    Integer warmUp = null;
    Integer invocations = null;
    boolean quick = false;
    Set<Part> parts = EnumSet.allOf(Part.class);
    List<JdkUnderTest> jdks = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--build-runs" -> buildRuns = Integer.parseInt(args[++i]);
        case "--warm-up" -> warmUp = Integer.parseInt(args[++i]);
        case "--invocations" -> invocations = Integer.parseInt(args[++i]);
        case "--quick" -> quick = true;
        case "--only" -> parts = Part.parse(args[++i]);
        case "--jdk" -> {
          String[] spec = args[++i].split("=", 2);
          jdks.add(new JdkUnderTest(spec[0], Path.of(spec[1])));
        }
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (jdks.isEmpty()) {
      jdks.add(new JdkUnderTest("17", Path.of(System.getProperty("java.home"))));
    }
    Layout layout = Layout.fromSystemProperty();
    Files.createDirectories(layout.work());
    Files.createDirectories(layout.results());
    List<String> perCall = quick
        ? List.of("-f", "1", "-wi", "1", "-w", "1s", "-i", "1", "-r", "1s")
        : List.of("-f", "1", "-wi", "3", "-w", "1s", "-i", "5", "-r", "1s");
    List<String> warm = quick
        ? List.of("-f", "1", "-wi", "1", "-w", "1s", "-i", "1", "-r", "1s")
        : List.of("-f", "1", "-wi", "3", "-w", "2s", "-i", "5", "-r", "2s");

    if (warmUp == null) {
      warmUp = quick ? 20 : 500;
    }
    if (invocations == null) {
      invocations = quick ? 50 : 500;
    }

    // A run of some parts keeps the other parts' sections of the results files as they are.
    PreviousResults previous = parts.containsAll(EnumSet.allOf(Part.class))
        ? PreviousResults.none()
        : PreviousResults.read(layout.results());

    long started = System.nanoTime();
    List<JdkResults> results = new ArrayList<>();
    try (LocalPeers peers = new LocalPeers()) {
      for (JdkUnderTest jdk : jdks) {
        var coldStarts = parts.contains(Part.COLD) ? ColdStartSeries.run(peers, layout, jdk, Variant.COLD_STARTED, runs) : null;
        var warmLatency = parts.contains(Part.WARM) ? WarmLatency.run(peers, layout, jdk, warmUp, invocations) : null;
        var exportPlacement = parts.contains(Part.EXPORT) ? ExportPlacement.run(peers, layout, jdk, warmUp, invocations) : null;
        var jmh = new LinkedHashMap<String, JmhRun.Score>();
        if (parts.contains(Part.JMH)) {
          jmh.putAll(JmhRun.run(layout, jdk, peers, "TracedMethodBenchmark", perCall));
          jmh.putAll(JmhRun.run(layout, jdk, peers, "DroppedCallBenchmark", perCall));
          jmh.putAll(JmhRun.run(layout, jdk, peers, "WarmInvocationBenchmark", warm));
        }
        var buildCost = parts.contains(Part.BUILD) ? BuildCost.run(layout, jdk, buildRuns) : null;
        results.add(new JdkResults(jdk, coldStarts, warmLatency, exportPlacement, jmh, buildCost));
      }
    }
    PackageSize size = parts.contains(Part.SIZE) ? PackageSize.measure(layout) : null;
    System.out.printf(Locale.ROOT, "[benchmarks] measured %s in %.1f min%n",
        parts.stream().map(Part::key).collect(Collectors.joining(", ")), (System.nanoTime() - started) / 60e9);
    Report report = new Report(results, size, runs, warmUp, invocations, parts, previous);
    // Each output on its own: a half-hour run is not lost to one renderer's bug.
    boolean written = write(layout.results().resolve("results.json"), report::json);
    if (parts.contains(Part.COLD)) {
      written &= write(layout.results().resolve("cold-start.svg"), report::chart);
    }
    written &= write(layout.results().resolve("RESULTS.md"), report::markdown);
    System.out.println("[benchmarks] wrote " + layout.results());
    if (!written) {
      System.exit(1);
    }
  }

  private static boolean write(java.nio.file.Path file, java.util.function.Supplier<String> content) {
    try {
      Files.writeString(file, content.get());
      return true;
    } catch (Exception | Error e) {
      System.err.println("[benchmarks] could not write " + file + ":");
      e.printStackTrace();
      return false;
    }
  }
}
