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

/**
 * The context goes into a message whole or not at all: never over the user's own context, the
 * limit of 10 message attributes, or a size limit the message was within.
 */
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
    Map<String, String> merged = withContext(null, CONTEXT, AS_VALUE, span, null);

    assertThat(merged).containsExactly(
        Map.entry("traceparent", "value:" + CONTEXT.get("traceparent")),
        Map.entry("tracestate", "value:a=b"));
    assertThat(events()).isEmpty();
  }

  @Test
  void theUsersAttributesComeFirstAndTheirMapIsNotChanged() {
    Map<String, String> existing = orderedMap("orderId", "o-1");

    Map<String, String> merged = withContext(existing, CONTEXT, AS_VALUE, span, null);

    assertThat(merged).containsKeys("orderId", "traceparent", "tracestate");
    assertThat(merged.keySet()).first().isEqualTo("orderId");
    assertThat(existing).containsExactly(Map.entry("orderId", "o-1"));
  }

  @Test
  void aMessageWithItsOwnTraceparentKeepsItAndGetsNoneOfTheContext() {
    Map<String, String> existing = orderedMap("TraceParent", "mine");

    assertThat(withContext(existing, CONTEXT, AS_VALUE, span, null)).isNull();

    List<EventData> events = events();
    assertThat(events).hasSize(1);
    assertThat(events.get(0).getName()).isEqualTo(MessageAttributes.NOT_INJECTED);
    assertThat(events.get(0).getAttributes().get(MessageAttributes.REASON))
        .contains("its own trace context");
    assertThat(events.get(0).getAttributes().get(MessageAttributes.OWN_CONTEXT))
        .containsExactly("TraceParent");
  }

  @Test
  void aTracestateOfTheMessagesOwnIsItsContextToo() {
    Map<String, String> existing = orderedMap("orderId", "o-1", "TRACESTATE", "mine");

    assertThat(withContext(existing, CONTEXT, AS_VALUE, span, "entry-1")).isNull();

    assertThat(events().get(0).getAttributes().get(MessageAttributes.OWN_CONTEXT))
        .containsExactly("TRACESTATE");
  }

  @Test
  void aBaggageOfTheUsersIsKeptAndTheTraceContextAdded() {
    Map<String, String> withBaggage = new LinkedHashMap<>(CONTEXT);
    withBaggage.put("baggage", "tenant=new");
    Map<String, String> existing = orderedMap("Baggage", "tenant=mine");

    Map<String, String> merged = withContext(existing, withBaggage, AS_VALUE, span, null);

    assertThat(merged).containsEntry("Baggage", "tenant=mine").doesNotContainKey("baggage")
        .containsKeys("traceparent", "tracestate");
    assertThat(events()).isEmpty();
  }

  @Test
  void nothingToAddLeavesTheMessageUnchanged() {
    assertThat(withContext(orderedMap("orderId", "o-1"), Map.of(), AS_VALUE, span, null)).isNull();
    assertThat(events()).isEmpty();
  }

  @Test
  void exactlyTenAttributesAreAllowed() {
    Map<String, String> merged = withContext(attributes(8), CONTEXT, AS_VALUE, span, null);

    assertThat(merged).hasSize(MessageAttributes.MAX_ATTRIBUTES);
    assertThat(events()).isEmpty();
  }

  @Test
  void passingTenLeavesTheMessageUnchangedWithAnEventSayingWhy() {
    assertThat(withContext(attributes(9), CONTEXT, AS_VALUE, span, null)).isNull();

    List<EventData> events = events();
    assertThat(events).hasSize(1);
    assertThat(events.get(0).getName()).isEqualTo(MessageAttributes.NOT_INJECTED);
    assertThat(events.get(0).getAttributes().get(MessageAttributes.REASON))
        .contains("9 attributes").contains("2 more").contains("at most 10");
    assertThat(events.get(0).getAttributes().get(MessageAttributes.ENTRY_ID)).isNull();
  }

  @Test
  void onlyTheFieldsStillMissingCountTowardsTheLimit() {
    Map<String, String> withBaggage = new LinkedHashMap<>(CONTEXT);
    withBaggage.put("baggage", "tenant=new");
    Map<String, String> existing = attributes(7);
    existing.put("baggage", "mine");

    Map<String, String> merged = withContext(existing, withBaggage, AS_VALUE, span, null);

    assertThat(merged).hasSize(MessageAttributes.MAX_ATTRIBUTES).containsEntry("baggage", "mine").containsKey("traceparent");
    assertThat(events()).isEmpty();
  }

  @Test
  void theContextNeverTakesAMessagePastASizeLimitItWasWithin() {
    long added = contextBytes();
    MessageAttributes.Room sqs = new MessageAttributes.Room(MessageAttributes.SQS_LIMITS, 262_144 - added);

    assertThat(sqs.take(262_144 - added, added)).as("exactly at 256 KiB").isTrue();
    MessageAttributes.Room justUnder =
        new MessageAttributes.Room(MessageAttributes.SQS_LIMITS, 262_144 - added + 1);
    assertThat(justUnder.take(262_144 - added + 1, added)).as("one byte past 256 KiB").isFalse();
    MessageAttributes.Room past =
        new MessageAttributes.Room(MessageAttributes.SQS_LIMITS, 300_000);
    assertThat(past.take(300_000, added)).as("past 256 KiB already: the next limit is 1 MiB").isTrue();
    MessageAttributes.Room nearMiB =
        new MessageAttributes.Room(MessageAttributes.SQS_LIMITS, 1_048_576 - 10);
    assertThat(nearMiB.take(1_048_576 - 10, added)).isFalse();
    MessageAttributes.Room sns = new MessageAttributes.Room(MessageAttributes.SNS_LIMITS, 300_000);
    assertThat(sns.take(300_000, added)).as("SNS refuses it anyway: the user's to send").isTrue();
  }

  @Test
  void aMessageNearTheLimitIsSentUnchangedWithAnEventSayingWhy() {
    long size = 262_144 - 20;

    assertThat(
            MessageAttributes.withContext(
                null, CONTEXT, AS_VALUE, span, "entry-3", size,
                new MessageAttributes.Room(MessageAttributes.SNS_LIMITS, size)))
        .isNull();

    EventData event = events().get(0);
    assertThat(event.getAttributes().get(MessageAttributes.REASON)).contains("size limit");
    assertThat(event.getAttributes().get(MessageAttributes.ENTRY_ID)).isEqualTo("entry-3");
  }

  @Test
  void aBatchTakesTheContextIntoEveryEntryThatFitsWithinTheBatchLimit() {
    long added = contextBytes();
    long entry = 100_000;
    // Three entries of 100,000 bytes: 300,000, past 256 KiB already; 1 MiB is far.
    MessageAttributes.Room large = new MessageAttributes.Room(MessageAttributes.SQS_LIMITS, 3 * entry);
    assertThat(large.take(entry, added)).isTrue();
    assertThat(large.take(entry, added)).isTrue();
    // Two entries that together sit just under 256 KiB: the first gets the context, the second
    // would take the batch past it.
    long half = (262_144 - added) / 2;
    MessageAttributes.Room tight = new MessageAttributes.Room(MessageAttributes.SQS_LIMITS, 2 * half);
    assertThat(tight.take(half, added)).isTrue();
    assertThat(tight.take(half, added)).isFalse();
  }

  @Test
  void sizesCountUtf8BytesWithoutEncoding() {
    assertThat(MessageAttributes.utf8Length(null)).isZero();
    assertThat(MessageAttributes.utf8Length("abc")).isEqualTo(3);
    assertThat(MessageAttributes.utf8Length("é€😀")).isEqualTo("é€😀".getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    assertThat(MessageAttributes.utf8Length("\ud800")).isEqualTo(3);
    assertThat(MessageAttributes.utf8Length("\ud800", true)).as("the fewest: '?'").isEqualTo(1);
    assertThat(MessageAttributes.attributeBytes("traceparent", "String", "x")).isEqualTo(11 + 6 + 1);
  }

  @Test
  void aMessageWithLoneSurrogatesIsWithinTheLimitIfItMayBe() {
    // 262,100 bytes if its 20 lone surrogates are sent as '?', 262,140 if as U+FFFD: either way
    // the context must not take it past 256 KiB.
    long fewest = 262_100;
    long most = fewest + 2 * 20;
    MessageAttributes.Room room = new MessageAttributes.Room(MessageAttributes.SQS_LIMITS, fewest, most);
    assertThat(room.take(fewest, most, 60)).isFalse();
    MessageAttributes.Room roomy = new MessageAttributes.Room(MessageAttributes.SQS_LIMITS, fewest, most);
    assertThat(roomy.take(fewest, most, 4)).isTrue();
  }

  @Test
  void aBatchEntryOverTheLimitIsNamedInTheEvent() {
    assertThat(withContext(attributes(10), CONTEXT, AS_VALUE, span, "entry-7")).isNull();

    assertThat(events().get(0).getAttributes().get(MessageAttributes.ENTRY_ID)).isEqualTo("entry-7");
  }

  @Test
  void containsIgnoringCase() {
    assertThat(MessageAttributes.containsIgnoringCase(null, "traceparent")).isFalse();
    assertThat(MessageAttributes.containsIgnoringCase(Map.of(), "traceparent")).isFalse();
    assertThat(MessageAttributes.containsIgnoringCase(Map.of("TRACEPARENT", 1), "traceparent")).isTrue();
    assertThat(MessageAttributes.containsIgnoringCase(Map.of("traceparent2", 1), "traceparent")).isFalse();
  }

  /** withContext with room enough for anything. */
  private static <V> Map<String, V> withContext(
      Map<String, V> existing,
      Map<String, String> fields,
      Function<String, V> toValue,
      Span span,
      String entryId) {
    return MessageAttributes.withContext(
        existing, fields, toValue, span, entryId, 10,
        new MessageAttributes.Room(MessageAttributes.SQS_LIMITS, 10));
  }

  private static long contextBytes() {
    long bytes = 0;
    for (Map.Entry<String, String> field : CONTEXT.entrySet()) {
      bytes += MessageAttributes.attributeBytes(field.getKey(), "String", field.getValue());
    }
    return bytes;
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
