package dev.baton.example.orders.local;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.LinkedHashMap;
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

  /**
   * A span the test fixtures' {@code OtlpReceiver} received, with its timing in microseconds and
   * its attributes as Zipkin's tags are, strings.
   */
  static TraceSpan of(SpanData span) {
    Map<String, String> attributes = new LinkedHashMap<>();
    span.getAttributes().forEach((key, value) -> attributes.put(key.getKey(), String.valueOf(value)));
    String service = span.getResource().getAttribute(AttributeKey.stringKey("service.name"));
    return new TraceSpan(
        span.getTraceId(),
        span.getSpanId(),
        span.getParentSpanContext().isValid() ? span.getParentSpanId() : "",
        service == null ? "?" : service,
        span.getName(),
        span.getKind().name(),
        span.getStatus().getStatusCode() == StatusCode.ERROR,
        span.getStartEpochNanos() / 1_000,
        (span.getEndEpochNanos() - span.getStartEpochNanos()) / 1_000,
        Map.copyOf(attributes),
        span.getLinks().stream()
            .map(link -> link.getSpanContext().getTraceId() + "/" + link.getSpanContext().getSpanId())
            .toList());
  }

  public boolean isRoot() {
    return parentSpanId.isEmpty();
  }

  public String attribute(String key) {
    return attributes.get(key);
  }
}
