package dev.baton.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Warm invocations only, on the JDK running it, for quick before/after checks of the per-invocation
 * latency: the variants of {@code -Dbaton.benchmarks.warm.variants} (untraced first; default:
 * those of {@link WarmLatency#VARIANTS}), each one's added latency over untraced printed as the
 * median of paired differences with its 95% confidence interval. Writes no result file.
 *
 * <pre>
 * java -Dbaton.benchmarks.warm.variants=untraced,baton_xray dev.baton.benchmarks.WarmLatencyOnly [--warm-up 300] [--invocations 300]
 * </pre>
 */
public final class WarmLatencyOnly {

  private WarmLatencyOnly() {}

  public static void main(String[] args) throws Exception {
    System.setProperty(WarmLatency.NODELAY_PROPERTY, "true"); // before the first HttpServer, which reads it
    int warmUp = 300;
    int invocations = 300;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--warm-up" -> warmUp = Integer.parseInt(args[++i]);
        case "--invocations" -> invocations = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    Layout layout = Layout.fromSystemProperty();
    Files.createDirectories(layout.work());
    JdkUnderTest jdk = new JdkUnderTest("17", Path.of(System.getProperty("java.home")));
    try (LocalPeers peers = new LocalPeers()) {
      WarmLatency.run(peers, layout, jdk, warmUp, invocations);
    }
  }
}
