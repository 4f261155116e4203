package dev.baton.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The full benchmark run ({@code benchmarks/run.sh}): cold starts, warm invocations' latency, JMH,
 * build cost on each JDK, then package sizes; writes {@code benchmarks/results/results.json},
 * {@code RESULTS.md} and {@code cold-start.svg}. {@code --quick} shortens JMH and, unless given,
 * the warm invocations.
 *
 * <pre>
 * java dev.baton.benchmarks.RunAll [--runs 15] [--build-runs 3] [--warm-up 500] [--invocations 500]
 *     [--jdk 17=/path] [--jdk 25=/path] [--quick]
 * </pre>
 */
public final class RunAll {

  private RunAll() {}

  public static void main(String[] args) throws Exception {
    // Before this JVM's first HttpServer, which reads it: the Runtime APIs and the OTLP receiver
    // answer with TCP_NODELAY, as Lambda's do (benchmarks/run.sh passes it on the command line too).
    System.setProperty(WarmLatency.NODELAY_PROPERTY, "true");
    int runs = 15;
    int buildRuns = 3;
    Integer warmUp = null;
    Integer invocations = null;
    boolean quick = false;
    List<JdkUnderTest> jdks = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--build-runs" -> buildRuns = Integer.parseInt(args[++i]);
        case "--warm-up" -> warmUp = Integer.parseInt(args[++i]);
        case "--invocations" -> invocations = Integer.parseInt(args[++i]);
        case "--quick" -> quick = true;
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

    List<JdkResults> results = new ArrayList<>();
    try (LocalPeers peers = new LocalPeers()) {
      for (JdkUnderTest jdk : jdks) {
        var coldStarts = ColdStartSeries.run(peers, layout, jdk, List.of(Variant.values()), runs);
        var warmLatency = WarmLatency.run(peers, layout, jdk, warmUp, invocations);
        var jmh = new java.util.LinkedHashMap<String, JmhRun.Score>();
        jmh.putAll(JmhRun.run(layout, jdk, peers, "TracedMethodBenchmark", perCall));
        jmh.putAll(JmhRun.run(layout, jdk, peers, "WarmInvocationBenchmark", warm));
        var buildCost = BuildCost.run(layout, jdk, buildRuns);
        results.add(new JdkResults(jdk, coldStarts, warmLatency, jmh, buildCost));
      }
    }
    PackageSize size = PackageSize.measure(layout);
    Report report = new Report(results, size, runs, warmUp, invocations);
    // Each output on its own: a half-hour run is not lost to one renderer's bug.
    boolean written = write(layout.results().resolve("results.json"), report::json);
    written &= write(layout.results().resolve("cold-start.svg"), report::chart);
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
