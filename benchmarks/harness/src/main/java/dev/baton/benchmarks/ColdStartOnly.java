package dev.baton.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Cold starts only, of the chosen variants on the JDK running it, for quick before/after checks:
 * prints median, min, max and the class count of each and writes each variant's loaded classes
 * to {@code harness/target/work/classes-<variant>.txt}.
 *
 * <pre>
 * java dev.baton.benchmarks.ColdStartOnly [--runs 7] [--variants handwritten,baton]
 * </pre>
 */
public final class ColdStartOnly {

  private ColdStartOnly() {}

  public static void main(String[] args) throws Exception {
    System.setProperty(WarmLatency.NODELAY_PROPERTY, "true"); // before the first HttpServer, which reads it
    int runs = 7;
    List<Variant> variants = new ArrayList<>(List.of(Variant.HANDWRITTEN, Variant.BATON));
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--variants" -> {
          variants.clear();
          for (String key : args[++i].split(",")) {
            variants.add(Variant.valueOf(key.toUpperCase(java.util.Locale.ROOT)));
          }
        }
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    Layout layout = Layout.fromSystemProperty();
    Files.createDirectories(layout.work());
    JdkUnderTest jdk = new JdkUnderTest("17", Path.of(System.getProperty("java.home")));
    try (LocalPeers peers = new LocalPeers()) {
      Map<Variant, ColdStartSeries.Result> results = ColdStartSeries.run(peers, layout, jdk, variants, runs);
      for (var e : results.entrySet()) {
        ColdStartSeries.Result r = e.getValue();
        Files.write(layout.work().resolve("classes-" + e.getKey().key + ".txt"), r.loadedClasses());
        System.out.printf("[summary] %-12s median %6.0f ms  min %6.0f  max %6.0f  rss %5.1f MB  spans %d  classes %d%n",
            e.getKey().key, r.millis().median(), r.millis().min(), r.millis().max(), r.rssMb().median(),
            r.spans(), r.loadedClasses().size());
      }
    }
  }
}
