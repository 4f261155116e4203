package dev.baton.runtime.internal.lambda;

import static dev.baton.testing.SpanAssertions.assertRemoteParent;
import static dev.baton.testing.SpanAssertions.assertRoot;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.baton.runtime.internal.BatonTelemetry;
import dev.baton.runtime.internal.Failures;
import dev.baton.testing.LambdaEvents;
import dev.baton.testing.TestLambdaContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import dev.baton.runtime.internal.sdk.SdkSetup;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Item 7 of the issue: bad input still gives a valid span (a new root when nothing usable came
 * in), Baton throws nothing, and it says so once. Also the SNS envelope reader, cold start and
 * the bounded flush, which need package access.
 */
class BadInputTest {

  private static final InMemorySpanExporter EXPORTER = InMemorySpanExporter.create();
  private static final TestLambdaContext CONTEXT = TestLambdaContext.of("req-bad", "orders");

  @BeforeEach
  void useInMemorySdk() {
    EXPORTER.reset();
    SdkSetup.use(
        OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(EXPORTER)).build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build());
    System.clearProperty(FlushTimeout.PROPERTY);
  }

  private static SpanData only() {
    List<SpanData> spans = EXPORTER.getFinishedSpanItems();
    assertThat(spans).hasSize(1);
    assertThat(spans.get(0).getSpanContext().isValid()).isTrue();
    return spans.get(0);
  }

  @Test
  void malformedTraceparentHeaderGivesARoot() {
    APIGatewayProxyRequestEvent event =
        EventLoader.loadApiGatewayRestEvent(LambdaEvents.API_GATEWAY_REST_MALFORMED_TRACEPARENT);
    long before = Failures.count();
    LambdaInvocation.startApiGateway(event, CONTEXT).end();
    assertRoot(only());
    assertThat(Failures.count()).isGreaterThan(before);
  }

  @Test
  void nullHeadersAndNullEventsAndNullContexts() {
    LambdaInvocation.startApiGateway(
            EventLoader.loadApiGatewayRestEvent(LambdaEvents.API_GATEWAY_REST_NULL_HEADERS), null)
        .endApiGateway(null);
    assertRoot(only());
    EXPORTER.reset();
    LambdaInvocation.startApiGateway(null, null).endApiGateway(null);
    LambdaInvocation.startHttpApi(null, null).endHttpApi(null);
    LambdaInvocation.startAlb(null, null).endAlb(null);
    LambdaInvocation.startSqs(null, null).endSqs(null);
    LambdaInvocation.startSns(null, null).end(null);
    LambdaInvocation.startOther(null, null).end();
    assertThat(EXPORTER.getFinishedSpanItems()).hasSize(6).allSatisfy(span -> assertRoot(span));
    assertThat(MessageSpans.sqsMessage(null, null).getSpanContext().isValid()).isTrue();
    assertThat(MessageSpans.snsRecord(null, null).getSpanContext().isValid()).isTrue();
  }

  @Test
  void sqsNullAttributesAndEmptyEvents() {
    LambdaInvocation.startSqs(EventLoader.loadSQSEvent(LambdaEvents.SQS_NULL_ATTRIBUTES), CONTEXT).end();
    assertRoot(only());
    EXPORTER.reset();
    LambdaInvocation.startSqs(EventLoader.loadSQSEvent(LambdaEvents.SQS_EMPTY), CONTEXT).end();
    SpanData empty = only();
    assertRoot(empty);
    assertThat(empty.getName()).isEqualTo("process");
    EXPORTER.reset();
    SQSEvent nullRecords = new SQSEvent();
    List<SQSEvent.SQSMessage> withNull = new ArrayList<>();
    withNull.add(null);
    nullRecords.setRecords(withNull);
    LambdaInvocation.startSqs(nullRecords, CONTEXT).end();
    assertRoot(only());
  }

  @Test
  void binaryTraceparentIsIgnoredAndReported() {
    long before = Failures.count();
    LambdaInvocation.startSqs(EventLoader.loadSQSEvent(LambdaEvents.SQS_BINARY_TRACEPARENT), CONTEXT).end();
    assertRoot(only());
    assertThat(Failures.count()).isGreaterThan(before);
  }

  @Test
  void hugeEnvelopeIsNotScannedButALargeOneUnderTheLimitIs() {
    String message = "x".repeat(SnsEnvelope.MAX_CHARS);
    SQSEvent huge = sqsWithBody(envelope(message));
    LambdaInvocation.startSqs(huge, CONTEXT).end();
    assertRoot(only());
    EXPORTER.reset();
    SQSEvent large = sqsWithBody(envelope("y".repeat(SnsEnvelope.MAX_CHARS - 2_000)));
    LambdaInvocation.startSqs(large, CONTEXT).end();
    assertRemoteParent(only(), LambdaEvents.TRACEPARENT_2_TRACE_ID, LambdaEvents.TRACEPARENT_2_SPAN_ID);
  }

  private static String envelope(String message) {
    return "{\"Type\":\"Notification\",\"MessageId\":\"id\",\"TopicArn\":\"arn:aws:sns:us-east-2:123456789012:t\","
        + "\"Message\":\"" + message + "\",\"MessageAttributes\":{\"traceparent\":{\"Type\":\"String\",\"Value\":\""
        + LambdaEvents.TRACEPARENT_2 + "\"}}}";
  }

  private static SQSEvent sqsWithBody(String body) {
    SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
    message.setMessageId("big");
    message.setBody(body);
    message.setEventSourceArn("arn:aws:sqs:us-east-2:123456789012:orders");
    SQSEvent event = new SQSEvent();
    event.setRecords(List.of(message));
    return event;
  }

  @Test
  void envelopeReader() {
    assertThat(SnsEnvelope.messageAttributes(null)).isNull();
    assertThat(SnsEnvelope.messageAttributes("plain text")).isNull();
    assertThat(SnsEnvelope.messageAttributes("[1,2]")).isNull();
    assertThat(SnsEnvelope.messageAttributes("{}")).isNull();
    assertThat(SnsEnvelope.messageAttributes("{\"Type\":\"Notification\"}")).as("no TopicArn").isNull();
    assertThat(SnsEnvelope.messageAttributes("{\"Type\":\"Notification\",\"TopicArn\":\"t\"")).as("truncated").isNull();
    assertThat(SnsEnvelope.messageAttributes("{\"Type\":\"Notification\",\"TopicArn\":\"t\",\"x\":tru}")).isNull();
    assertThat(SnsEnvelope.messageAttributes("{\"Type\":\"Notification\",\"TopicArn\":\"t\",\"x\":\"\\q\"}")).isNull();
    String deep = "[".repeat(10_000) + "]".repeat(10_000);
    assertThat(SnsEnvelope.messageAttributes("{\"Type\":\"Notification\",\"TopicArn\":\"t\",\"x\":" + deep + "}"))
        .as("deeper than the limit").isNull();

    TreeMap<String, List<String>> attributes = SnsEnvelope.messageAttributes(
        " {\"Skip\":{\"a\":[1,-2.5e3,true,false,null,{\"b\":\"}\"}],\"c\":{}},\"Type\":\"Notification\","
            + "\"TopicArn\":\"arn:aws:sns:r:1:t\",\"MessageAttributes\":{\"n\":{\"Type\":\"Number\",\"Value\":\"1\"},"
            + "\"TraceParent\":{\"Value\":\"v\\u00e9\\\"\\n\",\"Type\":\"String\"},\"e\":{}}}");
    assertThat(attributes).containsOnlyKeys("traceparent");
    assertThat(attributes.get("TRACEPARENT")).containsExactly("vé\"\n");
  }

  @Test
  void coldStartIsTrueOnceAndAgainAfterARestore() {
    ColdStart.rearm();
    LambdaInvocation.startOther(null, CONTEXT).end();
    LambdaInvocation.startOther(null, CONTEXT).end();
    ColdStart.rearm(); // what afterRestore does after a SnapStart restore
    LambdaInvocation.startOther(null, CONTEXT).end();
    assertThat(EXPORTER.getFinishedSpanItems())
        .extracting(span -> span.getAttributes().get(io.opentelemetry.api.common.AttributeKey.booleanKey("faas.coldstart")))
        .containsExactly(true, false, true);
  }

  @Test
  void flushTimeout() {
    assertThat(FlushTimeout.forRemaining(0)).isEqualTo(FlushTimeout.DEFAULT_MILLIS);
    assertThat(FlushTimeout.forRemaining(600)).isEqualTo(500);
    assertThat(FlushTimeout.forRemaining(50)).isZero();
    System.setProperty(FlushTimeout.PROPERTY, "250");
    assertThat(FlushTimeout.forRemaining(60_000)).isEqualTo(250);
    System.setProperty(FlushTimeout.PROPERTY, "soon");
    assertThat(FlushTimeout.forRemaining(60_000)).isEqualTo(FlushTimeout.DEFAULT_MILLIS);
  }

  @Test
  void aHungExporterCostsAtMostTheFlushTimeout() throws Exception {
    HungExporter hung = new HungExporter();
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .addSpanProcessor(BatchSpanProcessor.builder(hung).setScheduleDelay(1, TimeUnit.HOURS).build())
        .build();
    SdkSetup.use(OpenTelemetrySdk.builder().setTracerProvider(provider).build());
    System.setProperty(FlushTimeout.PROPERTY, "200");
    long before = Failures.count();
    long started = System.nanoTime();
    // Bounded wait: a flush that ignored its timeout would fail here instead of hanging the build.
    CompletableFuture.runAsync(() -> LambdaInvocation.startOther(null, CONTEXT).end()).get(60, TimeUnit.SECONDS);
    long millis = (System.nanoTime() - started) / 1_000_000;
    System.out.printf("[figures] end() with a hung exporter and a 200 ms flush timeout: %d ms%n", millis);
    assertThat(hung.exported).as("the flush did hand the span to the exporter").isEqualTo(1);
    assertThat(Failures.count()).as("the timeout is reported").isGreaterThan(before);
    assertThat(BatonTelemetry.flush(0)).isFalse();
  }

  /** An exporter whose exports never complete: a dead collector behind a long timeout. */
  private static final class HungExporter implements SpanExporter {
    volatile int exported;

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      exported += spans.size();
      return new CompletableResultCode();
    }

    @Override
    public CompletableResultCode flush() {
      return new CompletableResultCode();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

  @SuppressWarnings("unused")
  private static Map<String, String> unused() {
    return Map.of();
  }
}
