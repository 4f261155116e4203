package dev.baton.benchmarks;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One way of building (and running) the benchmarked function. The first four are the variants of
 * {@code results.json}; {@link #BATON_SDK} and {@link #BATON_AUTOCONFIGURE} are reported in
 * RESULTS.md only. {@link #BATON} is Baton as a user adds it: zero code, Baton's trace-only SDK.
 */
enum Variant {
  UNTRACED("untraced", "function-untraced"),
  HANDWRITTEN("handwritten", "function-handwritten"),
  BATON("baton", "function-baton"),
  OTEL_AGENT("otel_agent", "function-untraced"),
  BATON_SDK("baton_sdk", "function-baton-sdk"),
  BATON_AUTOCONFIGURE("baton_autoconfigure", "function-baton-autoconfigure");

  /** The handler, as in the function's handler setting. */
  static final String HANDLER = "bench.orders.PlaceOrder";

  /** The variants of {@code results.json}, in its order. */
  static final List<Variant> REPORTED = List.of(UNTRACED, HANDWRITTEN, BATON, OTEL_AGENT);

  final String key;
  final String module;

  Variant(String key, String module) {
    this.key = key;
    this.module = module;
  }

  /** Whether it exports spans: all but {@link #UNTRACED}. */
  boolean traced() {
    return this != UNTRACED;
  }

  /** The deployment package's classpath, then the runtime client Lambda's Java runtime provides. */
  String classpath(Layout layout) {
    return layout.classes(module) + File.pathSeparator + layout.functionClasspath(module)
        + File.pathSeparator + layout.runtimeClientClasspath();
  }

  /** JVM arguments of this variant beyond those every variant gets. */
  List<String> jvmArguments(Layout layout) {
    List<String> arguments = new ArrayList<>();
    if (this == OTEL_AGENT) {
      arguments.add("-javaagent:" + layout.otelAgent());
    }
    return arguments;
  }

  /**
   * Environment of this variant beyond Lambda's own. Every variant gets the same OTEL_* settings
   * (the untraced one ignores them): OTLP/HTTP to the local receiver, traces only, a batch
   * processor that never exports on its own (each invocation flushes). The agent also traces the
   * three methods the others trace, so that all export the same five spans.
   */
  Map<String, String> environment(String otlpEndpoint) {
    Map<String, String> environment = new java.util.LinkedHashMap<>();
    environment.put("OTEL_SERVICE_NAME", "place-order");
    environment.put("OTEL_EXPORTER_OTLP_ENDPOINT", otlpEndpoint);
    environment.put("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
    environment.put("OTEL_TRACES_EXPORTER", "otlp");
    environment.put("OTEL_METRICS_EXPORTER", "none");
    environment.put("OTEL_LOGS_EXPORTER", "none");
    environment.put("OTEL_BSP_SCHEDULE_DELAY", "3600000");
    if (this == OTEL_AGENT) {
      environment.put("OTEL_INSTRUMENTATION_METHODS_INCLUDE", HANDLER + "[parse,price,enqueue]");
    }
    return environment;
  }
}
