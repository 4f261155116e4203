package dev.baton.benchmarks;

import java.util.Map;

/** Everything measured on one JDK. */
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
}
