package dev.baton.example.orders.local;

import dev.baton.testing.ReceivedSpan;
import java.util.List;
import java.util.Map;

/**
 * A span of the example's trace, as the local OTLP receiver or Zipkin gave it back: enough to print
 * the tree and draw the waterfall, and to check parents and links.
 *
 * @param service the function ({@code service.name})
 * @param parentSpanId {@code ""} for a root
 * @param kind {@code SERVER}, {@code CLIENT}, {@code PRODUCER}, {@code CONSUMER} or {@code INTERNAL}
 * @param startMicros epoch microseconds
 * @param links the linked spans' ids, {@code traceId/spanId} (Zipkin keeps none)
 */
public record TraceSpan(
    String traceId,
    String spanId,
    String parentSpanId,
    String service,
    String name,
    String kind,
    boolean error,
    long startMicros,
    long durationMicros,
    Map<String, String> attributes,
    List<String> links) {

  /** A span the test fixtures' {@code OtlpReceiver} decoded, with its timing in microseconds. */
  static TraceSpan of(ReceivedSpan span) {
    return new TraceSpan(
        span.traceId(),
        span.spanId(),
        span.parentSpanId(),
        span.resource().getOrDefault("service.name", "?"),
        span.name(),
        span.kind(),
        "ERROR".equals(span.statusCode()),
        span.startEpochNanos() / 1_000,
        (span.endEpochNanos() - span.startEpochNanos()) / 1_000,
        span.attributes(),
        span.links().stream().map(link -> link.traceId() + "/" + link.spanId()).toList());
  }

  public boolean isRoot() {
    return parentSpanId.isEmpty();
  }

  public String attribute(String key) {
    return attributes.get(key);
  }
}
