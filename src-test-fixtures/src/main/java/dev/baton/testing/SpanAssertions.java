package dev.baton.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Assertions on the spans of Lambda invocations, over {@code opentelemetry-sdk-testing}'s {@link
 * SpanData} (use {@code OpenTelemetryAssertions.assertThat(span)} for the rest).
 */
public final class SpanAssertions {

  // The FaaS keys, written out: a test library should not pin users to an incubating semconv.
  private static final AttributeKey<String> FAAS_INVOCATION_ID = AttributeKey.stringKey("faas.invocation_id");
  private static final AttributeKey<String> FAAS_TRIGGER = AttributeKey.stringKey("faas.trigger");
  private static final AttributeKey<Boolean> FAAS_COLDSTART = AttributeKey.booleanKey("faas.coldstart");

  private SpanAssertions() {}

  /** The one span carrying {@code faas.invocation_id = requestId}. */
  public static SpanData invocationSpan(Collection<SpanData> spans, String requestId) {
    List<SpanData> found =
        spans.stream()
            .filter(span -> requestId.equals(span.getAttributes().get(FAAS_INVOCATION_ID)))
            .collect(Collectors.toList());
    assertThat(found).as("spans with faas.invocation_id %s among %s", requestId, spans).hasSize(1);
    return found.get(0);
  }

  /** The one span that has {@code faas.trigger} (the invocation span of a single invocation). */
  public static SpanData invocationSpan(Collection<SpanData> spans) {
    List<SpanData> found =
        spans.stream()
            .filter(span -> span.getAttributes().get(FAAS_TRIGGER) != null
                && span.getAttributes().get(FAAS_COLDSTART) != null)
            .collect(Collectors.toList());
    assertThat(found).as("invocation spans among %s", spans).hasSize(1);
    return found.get(0);
  }

  /** {@code span} is a child of the remote span {@code traceId}/{@code spanId}. */
  public static void assertRemoteParent(SpanData span, String traceId, String spanId) {
    assertThat(span.getTraceId()).as("trace of %s", span.getName()).isEqualTo(traceId);
    assertThat(span.getParentSpanId()).as("parent of %s", span.getName()).isEqualTo(spanId);
    assertThat(span.getParentSpanContext().isRemote()).as("parent is remote").isTrue();
  }

  /** {@code span} starts a new trace: no parent. */
  public static void assertRoot(SpanData span) {
    assertThat(span.getParentSpanContext().isValid()).as("%s has no parent", span.getName()).isFalse();
    assertThat(span.getSpanContext().isValid()).isTrue();
  }

  /** {@code child}'s parent is {@code parent}. */
  public static void assertChildOf(SpanData child, SpanData parent) {
    assertThat(child.getTraceId()).isEqualTo(parent.getTraceId());
    assertThat(child.getParentSpanId()).as("parent of %s", child.getName()).isEqualTo(parent.getSpanId());
  }

  /** {@code span}'s links are exactly these {@code traceId:spanId} pairs, in any order. */
  public static void assertLinks(SpanData span, String... traceIdColonSpanId) {
    assertThat(span.getLinks().stream().map(LinkData::getSpanContext).map(SpanAssertions::id))
        .as("links of %s", span.getName())
        .containsExactlyInAnyOrder(traceIdColonSpanId);
  }

  private static String id(SpanContext context) {
    return context.getTraceId() + ":" + context.getSpanId();
  }
}
