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
    Map<String, JmhRun.Score> jmh,
    BuildCost.Result buildCost) {

  ColdStartSeries.Result cold(Variant variant) {
    return coldStarts.get(variant);
  }

  WarmLatency.Result warm(Variant variant) {
    return warmLatency.get(variant);
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

  /** The latency of {@code variant} minus {@code baseline}'s, paired by round. */
  WarmLatency.Difference warmDifference(Variant variant, Variant baseline) {
    return WarmLatency.pairedDifference(warm(variant), warm(baseline));
  }
}
