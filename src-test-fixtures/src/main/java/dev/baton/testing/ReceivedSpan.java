package dev.baton.testing;

import java.util.List;
import java.util.Map;

/**
 * A span as {@link OtlpReceiver} decoded it from OTLP: ids in lower-case hex (parent {@code ""}
 * for a root), kind as OTLP names it without the prefix ({@code SERVER}, {@code CONSUMER}, ...),
 * attribute values as strings, start and end as OTLP gives them (epoch nanoseconds), and {@link
 * #order()}, when its export arrived in {@link EventOrder}.
 */
public record ReceivedSpan(
    String traceId,
    String spanId,
    String parentSpanId,
    String name,
    String kind,
    String statusCode,
    long startEpochNanos,
    long endEpochNanos,
    Map<String, String> attributes,
    List<Link> links,
    List<String> eventNames,
    Map<String, String> resource,
    long order) {

  /** A link's span context. */
  public record Link(String traceId, String spanId) {}

  public String attribute(String key) {
    return attributes.get(key);
  }

  public boolean isChildOf(ReceivedSpan parent) {
    return traceId.equals(parent.traceId) && parentSpanId.equals(parent.spanId);
  }
}
