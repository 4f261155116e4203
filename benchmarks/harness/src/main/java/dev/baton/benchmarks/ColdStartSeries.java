package dev.baton.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cold starts of every variant on one JDK: one untimed round first (file cache, JIT of the
 * harness), then {@code runs} rounds, each starting every variant once in an order rotated from
 * round to round, so that drift on the machine falls on all variants alike. Then one untimed run of
 * each variant with {@code -Xlog:class+load} counts the classes it loads.
 */
final class ColdStartSeries {

  /**
   * What one variant measured on one JDK; {@code series} is its cold starts in the order of the
   * rounds, for differences paired by round ({@link JdkResults#coldAdded}).
   */
  record Result(Stats millis, Stats rssMb, int spans, List<String> loadedClasses, List<Double> series) {
    List<String> aspectjClasses() {
      return loadedClasses.stream().filter(c -> c.startsWith("org.aspectj.")).toList();
    }
  }

  private ColdStartSeries() {}

  static Map<Variant, Result> run(LocalPeers peers, Layout layout, JdkUnderTest jdk, List<Variant> variants, int runs)
      throws Exception {
    ColdStart.Target target = new ColdStart.Target(layout, jdk, peers);
    Map<Variant, List<Double>> millis = new LinkedHashMap<>();
    Map<Variant, List<Double>> rss = new LinkedHashMap<>();
    Map<Variant, Integer> spans = new LinkedHashMap<>();
    variants.forEach(v -> { millis.put(v, new ArrayList<>()); rss.put(v, new ArrayList<>()); });
    for (Variant variant : variants) {
      ColdStart.run(target, variant, false);
    }
    for (int round = 0; round < runs; round++) {
      for (int i = 0; i < variants.size(); i++) {
        Variant variant = variants.get((round + i) % variants.size());
        int before = peers.spans(variant).size();
        ColdStart.Sample sample = ColdStart.run(target, variant, false);
        peers.awaitExport(variant, sample.traceId());
        spans.put(variant, peers.spans(variant).size() - before);
        millis.get(variant).add(sample.millis());
        rss.get(variant).add(sample.peakRssMb());
        System.out.printf("[cold start] JDK %s round %2d %-20s %7.0f ms %6.1f MB%n",
            jdk.name(), round + 1, variant.key, sample.millis(), sample.peakRssMb());
      }
    }
    Map<Variant, Result> results = new LinkedHashMap<>();
    for (Variant variant : variants) {
      List<String> classes = ColdStart.run(target, variant, true).loadedClasses();
      results.put(variant, new Result(Stats.of(millis.get(variant)), Stats.of(rss.get(variant)),
          spans.get(variant), classes, List.copyOf(millis.get(variant))));
    }
    return results;
  }
}
