package dev.baton.runtime.internal.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The limit of 10 message attributes, and the user's own attributes kept as they are. */
class MessageAttributesTest {

  private static final Map<String, String> CONTEXT =
      orderedMap("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "tracestate", "a=b");
  private static final Function<String, String> AS_VALUE = value -> "value:" + value;

  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final SdkTracerProvider tracerProvider =
      SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
  private final Span span = tracerProvider.get("test").spanBuilder("send orders").startSpan();

  @AfterEach
  void close() {
    tracerProvider.close();
  }

  @Test
  void noAttributesYetGivesTheContextAlone() {
    Map<String, String> merged = MessageAttributes.withContext(null, CONTEXT, AS_VALUE, span, null);

    assertThat(merged).containsExactly(
        Map.entry("traceparent", "value:" + CONTEXT.get("traceparent")),
        Map.entry("tracestate", "value:a=b"));
    assertThat(events()).isEmpty();
  }

  @Test
  void theUsersAttributesComeFirstAndTheirMapIsNotChanged() {
    Map<String, String> existing = orderedMap("orderId", "o-1");

    Map<String, String> merged = MessageAttributes.withContext(existing, CONTEXT, AS_VALUE, span, null);

    assertThat(merged).containsKeys("orderId", "traceparent", "tracestate");
    assertThat(merged.keySet()).first().isEqualTo("orderId");
    assertThat(existing).containsExactly(Map.entry("orderId", "o-1"));
  }

  @Test
  void aUsersAttributeOfTheSameNameIsNeverOverwrittenWhateverItsCase() {
    Map<String, String> existing = orderedMap("TraceParent", "mine");

    Map<String, String> merged = MessageAttributes.withContext(existing, CONTEXT, AS_VALUE, span, null);

    assertThat(merged).containsEntry("TraceParent", "mine").doesNotContainKey("traceparent")
        .containsEntry("tracestate", "value:a=b");
  }

  @Test
  void nothingToAddLeavesTheMessageUnchanged() {
    Map<String, String> existing = orderedMap("traceparent", "mine", "TRACESTATE", "mine too");

    assertThat(MessageAttributes.withContext(existing, CONTEXT, AS_VALUE, span, null)).isNull();
    assertThat(MessageAttributes.withContext(existing, Map.of(), AS_VALUE, span, null)).isNull();
    assertThat(events()).isEmpty();
  }

  @Test
  void exactlyTenAttributesAreAllowed() {
    Map<String, String> merged = MessageAttributes.withContext(attributes(8), CONTEXT, AS_VALUE, span, null);

    assertThat(merged).hasSize(MessageAttributes.MAX_ATTRIBUTES);
    assertThat(events()).isEmpty();
  }

  @Test
  void passingTenLeavesTheMessageUnchangedWithAnEventSayingWhy() {
    assertThat(MessageAttributes.withContext(attributes(9), CONTEXT, AS_VALUE, span, null)).isNull();

    List<EventData> events = events();
    assertThat(events).hasSize(1);
    assertThat(events.get(0).getName()).isEqualTo(MessageAttributes.NOT_INJECTED);
    assertThat(events.get(0).getAttributes().get(MessageAttributes.REASON))
        .contains("9 attributes").contains("2 more").contains("at most 10");
    assertThat(events.get(0).getAttributes().get(MessageAttributes.ENTRY_ID)).isNull();
  }

  @Test
  void onlyTheFieldsStillMissingCountTowardsTheLimit() {
    Map<String, String> existing = attributes(8);
    existing.put("tracestate", "mine");

    Map<String, String> merged = MessageAttributes.withContext(existing, CONTEXT, AS_VALUE, span, null);

    assertThat(merged).hasSize(10).containsEntry("tracestate", "mine").containsKey("traceparent");
    assertThat(events()).isEmpty();
  }

  @Test
  void aBatchEntryOverTheLimitIsNamedInTheEvent() {
    assertThat(MessageAttributes.withContext(attributes(10), CONTEXT, AS_VALUE, span, "entry-7")).isNull();

    assertThat(events().get(0).getAttributes().get(MessageAttributes.ENTRY_ID)).isEqualTo("entry-7");
  }

  @Test
  void containsIgnoringCase() {
    assertThat(MessageAttributes.containsIgnoringCase(null, "traceparent")).isFalse();
    assertThat(MessageAttributes.containsIgnoringCase(Map.of(), "traceparent")).isFalse();
    assertThat(MessageAttributes.containsIgnoringCase(Map.of("TRACEPARENT", 1), "traceparent")).isTrue();
    assertThat(MessageAttributes.containsIgnoringCase(Map.of("traceparent2", 1), "traceparent")).isFalse();
  }

  private List<EventData> events() {
    span.end();
    List<SpanData> spans = exporter.getFinishedSpanItems();
    assertThat(spans).hasSize(1);
    return spans.get(0).getEvents();
  }

  private static Map<String, String> attributes(int count) {
    Map<String, String> attributes = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      attributes.put("a" + i, "v" + i);
    }
    return attributes;
  }

  private static Map<String, String> orderedMap(String... keysAndValues) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }
}
