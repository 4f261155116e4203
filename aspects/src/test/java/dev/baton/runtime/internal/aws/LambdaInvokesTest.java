package dev.baton.runtime.internal.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/** The trace context added to a Lambda client context, and the client contexts left alone. */
class LambdaInvokesTest {

  private static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  private static final Map<String, String> CONTEXT = Map.of("traceparent", TRACEPARENT);

  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final SdkTracerProvider tracerProvider =
      SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
  private final Span span = tracerProvider.get("test").spanBuilder("Lambda.Invoke").startSpan();

  @AfterEach
  void close() {
    tracerProvider.close();
  }

  @Test
  void noClientContextGetsOneWithTheContextInItsCustomMap() {
    String encoded = LambdaInvokes.withContext(null, CONTEXT, span);

    assertThat(decode(encoded)).isEqualTo("{\"custom\":{\"traceparent\":\"" + TRACEPARENT + "\"}}");
    assertThat(LambdaInvokes.withContext("", CONTEXT, span)).isEqualTo(encoded);
    assertThat(events()).isEmpty();
  }

  @Test
  void theUsersClientContextIsKeptMemberByMember() {
    String users =
        "{\"client\":{\"installation_id\":\"i-1\",\"app_version_code\":3},\"env\":{\"locale\":\"en\\\"GB\"},"
            + "\"custom\":{\"tenant\":\"acme\"},\"flags\":[true,null,1.5]}";

    JsonNode merged = parse(decode(LambdaInvokes.withContext(encode(users), CONTEXT, span)));

    Map<String, JsonNode> members = merged.asObject();
    assertThat(members.keySet()).containsExactly("client", "env", "custom", "flags");
    assertThat(members.get("client").asObject().get("installation_id").asString()).isEqualTo("i-1");
    assertThat(members.get("client").asObject().get("app_version_code").asNumber()).isEqualTo("3");
    assertThat(members.get("env").asObject().get("locale").asString()).isEqualTo("en\"GB");
    assertThat(members.get("flags").asArray()).hasSize(3);
    assertThat(members.get("custom").asObject()).containsOnlyKeys("tenant", "traceparent");
    assertThat(members.get("custom").asObject().get("traceparent").asString()).isEqualTo(TRACEPARENT);
    assertThat(events()).isEmpty();
  }

  @Test
  void aClientContextWithItsOwnTraceparentKeepsItAndGetsNoneOfTheContext() {
    String users = encode("{\"custom\":{\"TraceParent\":\"mine\"}}");

    assertThat(LambdaInvokes.withContext(users, CONTEXT, span)).isNull();
    List<EventData> events = events();
    assertThat(events).hasSize(1);
    assertThat(events.get(0).getAttributes().get(MessageAttributes.OWN_CONTEXT))
        .containsExactly("TraceParent");
  }

  @Test
  void nothingToInjectLeavesTheClientContextUnchanged() {
    assertThat(LambdaInvokes.withContext(encode("{}"), Map.of(), span)).isNull();
  }

  @Test
  void aClientContextThatIsNotBase64JsonIsLeftUnchangedWithAnEvent() {
    assertThat(LambdaInvokes.withContext("not base64 !", CONTEXT, span)).isNull();
    assertThat(LambdaInvokes.withContext(encode("plain text"), CONTEXT, span)).isNull();
    assertThat(LambdaInvokes.withContext(encode("[1,2]"), CONTEXT, span)).isNull();
    assertThat(LambdaInvokes.withContext(encode("{\"custom\":\"x\"}"), CONTEXT, span)).isNull();
    assertThat(LambdaInvokes.withContext(encode("{\"custom\":{\"n\":1}}"), CONTEXT, span)).isNull();

    List<EventData> events = events();
    assertThat(events).extracting(EventData::getName).containsOnly(MessageAttributes.NOT_INJECTED).hasSize(5);
    assertThat(events).extracting(event -> event.getAttributes().get(MessageAttributes.REASON))
        .containsExactly(
            "the client context is not base64 JSON",
            "the client context is not base64 JSON",
            "the client context is not a JSON object",
            "the client context's custom member is not an object",
            "the client context's custom map has a value that is not a string");
  }

  @Test
  void aNullCustomMemberIsReplacedByOne() {
    JsonNode merged = parse(decode(LambdaInvokes.withContext(encode("{\"custom\":null}"), CONTEXT, span)));

    assertThat(merged.asObject().get("custom").asObject().get("traceparent").asString()).isEqualTo(TRACEPARENT);
  }

  @Test
  void theLargestClientContextWithinLambdasLimitIsSent() {
    String encoded = LambdaInvokes.withContext(encode(withPadding(paddingFor(largestJsonBytes()))), CONTEXT, span);

    // base64 comes in groups of 4: 3,580 is the longest that is at most 3,583.
    assertThat(encoded).hasSize(3580);
    assertThat(events()).isEmpty();
  }

  @Test
  void aClientContextThatWouldPassLambdasLimitIsLeftUnchangedWithAnEvent() {
    String users = encode(withPadding(paddingFor(largestJsonBytes() + 1)));

    assertThat(LambdaInvokes.withContext(users, CONTEXT, span)).isNull();

    List<EventData> events = events();
    assertThat(events).hasSize(1);
    assertThat(events.get(0).getName()).isEqualTo(MessageAttributes.NOT_INJECTED);
    assertThat(events.get(0).getAttributes().get(MessageAttributes.REASON))
        .isEqualTo("the client context with the trace context would be 3584 bytes of base64, more than Lambda's 3583");
  }

  /** The most bytes of JSON whose base64 is within the limit. */
  private static int largestJsonBytes() {
    return LambdaInvokes.MAX_CLIENT_CONTEXT_BYTES / 4 * 3;
  }

  /** The padding that makes the merged client context {@code jsonBytes} long. */
  private static String paddingFor(int jsonBytes) {
    String merged = "{\"custom\":{\"pad\":\"\",\"traceparent\":\"" + TRACEPARENT + "\"}}";
    return "x".repeat(jsonBytes - merged.length());
  }

  private static String withPadding(String padding) {
    return "{\"custom\":{\"pad\":\"" + padding + "\"}}";
  }

  private List<EventData> events() {
    span.end();
    List<SpanData> spans = exporter.getFinishedSpanItems();
    assertThat(spans).hasSize(1);
    return spans.get(0).getEvents();
  }

  private static String encode(String json) {
    return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(String base64) {
    assertThat(base64).isNotNull();
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }

  private static JsonNode parse(String json) {
    return JsonNode.parser().parse(json);
  }
}
