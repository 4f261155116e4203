package dev.baton.benchmarks;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One way of building (and running) the benchmarked function. The first four are the variants of
 * {@code results.json}'s cold-start sections; {@link #BATON_SDK} and {@link #BATON_AUTOCONFIGURE}
 * are reported in RESULTS.md only, {@link #BATON_XRAY} in a section of its own. {@link #BATON} is
 * Baton as a user adds it: zero code, Baton's trace-only SDK; {@link #BATON_XRAY} is the same
 * build sending its spans to Lambda's X-Ray daemon over UDP instead of OTLP/HTTP. {@link
 * #BATON_DROPPED_RECORD_ONLY} and {@link #BATON_DROPPED_PLAIN} are the {@link #BATON} build under a
 * head sampler that drops every invocation, measured per warm invocation only (not cold-started):
 * by default Baton records the dropped spans and lets them go when the invocation succeeds
 * (failed invocations are always exported); {@code BATON_ALWAYS_SAMPLE_ERRORS=false} makes the
 * drop final. {@link #BATON_BEFORE_RESPONSE} is the {@link #BATON} build with {@code
 * BATON_EXPORT=before-response}: it exports each invocation's spans before the response, as Baton
 * did before it exported after the response on its internal extension's thread ({@link #BATON}).
 * {@link #BATON_XRAY} sends its datagrams before the response (X-Ray's default, no extension);
 * {@link #BATON_XRAY_AFTER_RESPONSE} has the extension send them after it ({@code
 * BATON_EXPORT=after-response}). {@link #BATON_DROPPED_PLAIN_BEFORE_RESPONSE} is {@link
 * #BATON_DROPPED_PLAIN} with no extension: the two together give what the extension costs the
 * caller when there is nothing to export. The last three are measured per warm invocation only.
 */
enum Variant {
  UNTRACED("untraced", "function-untraced"),
  HANDWRITTEN("handwritten", "function-handwritten"),
  BATON("baton", "function-baton"),
  OTEL_AGENT("otel_agent", "function-untraced"),
  BATON_SDK("baton_sdk", "function-baton-sdk"),
  BATON_AUTOCONFIGURE("baton_autoconfigure", "function-baton-autoconfigure"),
  BATON_XRAY("baton_xray", "function-baton"),
  BATON_DROPPED_RECORD_ONLY("baton_dropped_record_only", "function-baton"),
  BATON_DROPPED_PLAIN("baton_dropped_plain", "function-baton"),
  BATON_BEFORE_RESPONSE("baton_before_response", "function-baton"),
  BATON_XRAY_AFTER_RESPONSE("baton_xray_after_response", "function-baton"),
  BATON_DROPPED_PLAIN_BEFORE_RESPONSE("baton_dropped_plain_before_response", "function-baton");

  /** The handler, as in the function's handler setting. */
  static final String HANDLER = "bench.orders.PlaceOrder";

  /** The variants of {@code results.json}, in its order. */
  static final List<Variant> REPORTED = List.of(UNTRACED, HANDWRITTEN, BATON, OTEL_AGENT);

  /** The variants whose cold start is measured: all but the two under a dropping sampler. */
  static final List<Variant> COLD_STARTED = List.of(
      UNTRACED, HANDWRITTEN, BATON, BATON_BEFORE_RESPONSE, OTEL_AGENT, BATON_SDK, BATON_AUTOCONFIGURE, BATON_XRAY);

  final String key;
  final String module;

  Variant(String key, String module) {
    this.key = key;
    this.module = module;
  }

  /** Whether it sends its spans to the X-Ray daemon (stand-in). */
  boolean xray() {
    return this == BATON_XRAY || this == BATON_XRAY_AFTER_RESPONSE;
  }

  /** Whether it exports spans: all but {@link #UNTRACED}. */
  boolean traced() {
    return this != UNTRACED;
  }

  /**
   * The deployment package's classpath, then the runtime client Lambda's Java runtime provides.
   * For a quick look, the system property {@code baton.benchmarks.aspects.<variant>} names a
   * {@code baton-aspects} jar (say, built from another commit) that this variant gets instead of
   * the one built: an A/B of a runtime change, paired in the same rounds; {@code run.sh} never
   * sets it.
   */
  String classpath(Layout layout) {
    String jars = Layout.withAspects(
        layout.functionClasspath(module), System.getProperty("baton.benchmarks.aspects." + key));
    return layout.classes(module) + File.pathSeparator + jars
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
   * Environment of this variant beyond Lambda's own. Every variant but {@link #BATON_XRAY} gets
   * the same OTEL_* settings (the untraced one ignores them): OTLP/HTTP to the local receiver,
   * traces only, a batch processor that never exports on its own (each invocation flushes). {@link
   * #BATON_XRAY} gets {@code OTEL_TRACES_EXPORTER=xray} and the daemon's address in {@code
   * AWS_XRAY_DAEMON_ADDRESS}, as Lambda sets it with active tracing. The agent also traces the three
   * methods the others trace, so that all export the same five spans. The two {@code
   * BATON_DROPPED_*} variants get {@code OTEL_TRACES_SAMPLER=traceidratio} with {@code
   * OTEL_TRACES_SAMPLER_ARG=0}, and {@link #BATON_DROPPED_PLAIN} {@code
   * BATON_ALWAYS_SAMPLE_ERRORS=false}: a successful invocation of either exports nothing. {@link
   * #BATON_BEFORE_RESPONSE} gets {@code BATON_EXPORT=before-response}.
   */
  Map<String, String> environment(String otlpEndpoint, String xrayDaemonAddress) {
    Map<String, String> environment = new java.util.LinkedHashMap<>();
    environment.put("OTEL_SERVICE_NAME", "place-order");
    if (this == BATON_XRAY || this == BATON_XRAY_AFTER_RESPONSE) {
      environment.put("OTEL_TRACES_EXPORTER", "xray");
      environment.put("AWS_XRAY_DAEMON_ADDRESS", xrayDaemonAddress);
    } else {
      environment.put("OTEL_EXPORTER_OTLP_ENDPOINT", otlpEndpoint);
      environment.put("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
      environment.put("OTEL_TRACES_EXPORTER", "otlp");
    }
    environment.put("OTEL_METRICS_EXPORTER", "none");
    environment.put("OTEL_LOGS_EXPORTER", "none");
    environment.put("OTEL_BSP_SCHEDULE_DELAY", "3600000");
    if (this == OTEL_AGENT) {
      environment.put("OTEL_INSTRUMENTATION_METHODS_INCLUDE", HANDLER + "[parse,price,enqueue]");
    }
    if (this == BATON_DROPPED_RECORD_ONLY || this == BATON_DROPPED_PLAIN || this == BATON_DROPPED_PLAIN_BEFORE_RESPONSE) {
      environment.put("OTEL_TRACES_SAMPLER", "traceidratio");
      environment.put("OTEL_TRACES_SAMPLER_ARG", "0");
    }
    if (this == BATON_BEFORE_RESPONSE || this == BATON_DROPPED_PLAIN_BEFORE_RESPONSE) {
      environment.put("BATON_EXPORT", "before-response");
    }
    if (this == BATON_XRAY_AFTER_RESPONSE) {
      environment.put("BATON_EXPORT", "after-response");
    }
    if (this == BATON_DROPPED_PLAIN || this == BATON_DROPPED_PLAIN_BEFORE_RESPONSE) {
      environment.put("BATON_ALWAYS_SAMPLE_ERRORS", "false");
    }
    return environment;
  }
}
