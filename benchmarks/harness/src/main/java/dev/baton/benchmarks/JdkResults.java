package dev.baton.benchmarks;

import java.util.Map;

/**
 * Everything measured on one JDK; a part not measured in this run ({@code --only}) is null (its
 * map empty).
 */
record JdkResults(
    JdkUnderTest jdk,
    Map<Variant, ColdStartSeries.Result> coldStarts,
    Map<Variant, WarmLatency.Result> warmLatency,
    Map<Integer, Map<Variant, ExportPlacement.Result>> exportPlacement,
    Map<String, JmhRun.Score> jmh,
    BuildCost.Result buildCost) {

  ColdStartSeries.Result cold(Variant variant) {
    return coldStarts.get(variant);
  }

  WarmLatency.Result warm(Variant variant) {
    return warmLatency.get(variant);
  }

  /** What {@code variant} measured with a collector that answers after {@code delayMillis}. */
  ExportPlacement.Result export(int delayMillis, Variant variant) {
    return exportPlacement.get(delayMillis).get(variant);
  }

  JmhRun.Score perCall(Variant variant) {
    return jmh.get("TracedMethodBenchmark." + variant.key);
  }

  JmhRun.Score warmInvocation(Variant variant) {
    return jmh.get("WarmInvocationBenchmark.invocation[" + variant.key + "]");
  }

  /**
   * One {@code @Traced} call inside an invocation under a sampler that drops ({@code
   * record_only}, {@code plain}), or samples ({@code sampled}); see the JMH module's {@code
   * DroppedCallBenchmark}.
   */
  JmhRun.Score droppedCall(String sampling) {
    return jmh.get("DroppedCallBenchmark.call[" + sampling + "]");
  }

  /**
   * The cold start of {@code variant} minus untraced's, paired by round: the median of the
   * per-round differences, with its 95% confidence interval.
   */
  WarmLatency.Difference coldAdded(Variant variant) {
    return WarmLatency.pairedDifference(cold(variant).series(), cold(Variant.UNTRACED).series());
  }

  /** The latency of {@code variant} minus {@code baseline}'s, paired by round. */
  WarmLatency.Difference warmDifference(Variant variant, Variant baseline) {
    return WarmLatency.pairedDifference(warm(variant), warm(baseline));
  }
}
