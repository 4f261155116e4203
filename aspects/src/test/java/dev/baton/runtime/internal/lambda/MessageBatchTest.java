package dev.baton.runtime.internal.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.baton.runtime.internal.BatonTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each message's context is extracted once per invocation: the batch's reading at the start is
 * the one the message's {@code process} span uses, and it stays with its own invocation.
 */
class MessageBatchTest {

  private static final String QUEUE_ARN = "arn:aws:sqs:eu-west-1:123456789012:orders";
  private static final String TRACE_A = "0af7651916cd43dd8448eb211c80319c";
  private static final String TRACE_B = "4bf92f3577b34da6a3ce929d0e0e4736";

  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final SdkTracerProvider tracerProvider =
      SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();

  @BeforeEach
  void useInMemorySdk() {
    BatonTelemetry.use(
        OpenTelemetrySdk.builder()
            .setTracerProvider(tracerProvider)
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build(),
        null);
  }

  @AfterEach
  void close() {
    BatonTelemetry.use(null, null);
    tracerProvider.close();
  }

  private static String traceparent(String traceId) {
    return "00-" + traceId + "-b7ad6b7169203331-01";
  }

  private static SQSEvent.SQSMessage sqsMessage(String id, String traceId) {
    SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
    message.setMessageId(id);
    message.setEventSourceArn(QUEUE_ARN);
    SQSEvent.MessageAttribute attribute = new SQSEvent.MessageAttribute();
    attribute.setDataType("String");
    attribute.setStringValue(traceparent(traceId));
    message.setMessageAttributes(new HashMap<>(Map.of("traceparent", attribute)));
    message.setBody("{}");
    return message;
  }

  /** An SQS message whose context is in the SNS envelope of its body (SNS to SQS, raw delivery off). */
  private static SQSEvent.SQSMessage enveloped(String id, String traceId) {
    SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
    message.setMessageId(id);
    message.setEventSourceArn(QUEUE_ARN);
    message.setBody(
        "{\"Type\":\"Notification\",\"MessageId\":\"" + id + "\","
            + "\"TopicArn\":\"arn:aws:sns:eu-west-1:123456789012:order-events\",\"Message\":\"hi\","
            + "\"MessageAttributes\":{\"traceparent\":{\"Type\":\"String\",\"Value\":\""
            + traceparent(traceId) + "\"}}}");
    return message;
  }

  private static SQSEvent event(SQSEvent.SQSMessage... messages) {
    SQSEvent event = new SQSEvent();
    event.setRecords(new ArrayList<>(List.of(messages)));
    return event;
  }

  private SpanData processSpan(SQSEvent.SQSMessage message) {
    Span span = MessageSpans.sqsMessage(null, message);
    span.end();
    List<SpanData> spans = exporter.getFinishedSpanItems();
    return spans.get(spans.size() - 1);
  }

  @Test
  void aMessagesProcessSpanUsesTheContextTheInvocationExtracted() {
    SQSEvent.SQSMessage attributed = sqsMessage("m-1", TRACE_A);
    SQSEvent.SQSMessage inEnvelope = enveloped("m-2", TRACE_B);
    LambdaInvocation invocation = LambdaInvocation.startSqs(event(attributed, inEnvelope), null);
    // What the message says now is not read again: the batch read it once, at the start.
    attributed.setMessageAttributes(new HashMap<>());
    inEnvelope.setBody("{}");

    assertThat(processSpan(attributed).getTraceId()).isEqualTo(TRACE_A);
    assertThat(processSpan(inEnvelope).getTraceId()).isEqualTo(TRACE_B);
    // A message the batch did not read (a copy the handler made) is read on its own.
    SQSEvent.SQSMessage copy = sqsMessage("m-1", TRACE_B);
    assertThat(processSpan(copy).getTraceId()).isEqualTo(TRACE_B);
    invocation.end();

    // Outside the invocation the message is read as it is.
    SpanData outside = processSpan(attributed);
    assertThat(outside.getTraceId()).isNotIn(TRACE_A, TRACE_B);
    assertThat(outside.getParentSpanContext().isValid()).isFalse();
  }

  @Test
  void aMessageThatCarriesNoContextIsNotReadAgainEither() {
    SQSEvent.SQSMessage plain = sqsMessage("m-1", TRACE_A);
    plain.setMessageAttributes(null);
    LambdaInvocation invocation = LambdaInvocation.startSqs(event(plain), null);
    String invocationTrace = invocation.span().getSpanContext().getTraceId();
    plain.setMessageAttributes(sqsMessage("m-1", TRACE_B).getMessageAttributes());

    SpanData process = processSpan(plain);
    assertThat(process.getTraceId()).as("parented by the invocation, as at the start").isEqualTo(invocationTrace);
    assertThat(process.getParentSpanId()).isEqualTo(invocation.span().getSpanContext().getSpanId());
    invocation.end();
  }

  @Test
  void anSnsRecordsProcessSpanUsesTheContextTheInvocationExtracted() {
    SNSEvent.SNSRecord record = new SNSEvent.SNSRecord();
    SNSEvent.SNS sns = new SNSEvent.SNS();
    sns.setMessageId("n-1");
    sns.setTopicArn("arn:aws:sns:eu-west-1:123456789012:order-events");
    sns.setMessageAttributes(
        new HashMap<>(Map.of("traceparent", new SNSEvent.MessageAttribute().withType("String").withValue(traceparent(TRACE_A)))));
    record.setSns(sns);
    SNSEvent event = new SNSEvent();
    event.setRecords(List.of(record));
    LambdaInvocation invocation = LambdaInvocation.startSns(event, null);
    sns.setMessageAttributes(new HashMap<>());

    Span span = MessageSpans.snsRecord(null, record);
    span.end();
    assertThat(span.getSpanContext().getTraceId()).isEqualTo(TRACE_A);
    invocation.end();
  }

  /**
   * Lambda Managed Instances: invocations at once on their own threads, sharing the handler and
   * even message objects' types; each process span finds only its own invocation's reading.
   */
  @Test
  void invocationsAtOnceEachKeepTheirOwnMessages() throws Exception {
    int invocations = 8;
    ExecutorService threads = Executors.newFixedThreadPool(invocations);
    try {
      CountDownLatch allStarted = new CountDownLatch(invocations);
      List<Future<String[]>> results = new ArrayList<>();
      for (int i = 0; i < invocations; i++) {
        String traceId = String.format("%032x", i + 1);
        results.add(threads.submit(() -> {
          SQSEvent.SQSMessage message = sqsMessage("m", traceId);
          try (Scope ignored = io.opentelemetry.context.Context.root().makeCurrent()) {
            LambdaInvocation invocation = LambdaInvocation.startSqs(event(message), null);
            message.setMessageAttributes(new HashMap<>());
            allStarted.countDown();
            allStarted.await(10, TimeUnit.SECONDS);
            Span span = MessageSpans.sqsMessage(null, message);
            span.end();
            invocation.end();
            return new String[] {traceId, span.getSpanContext().getTraceId()};
          }
        }));
      }
      for (Future<String[]> result : results) {
        String[] expectedAndSeen = result.get(30, TimeUnit.SECONDS);
        assertThat(expectedAndSeen[1]).isEqualTo(expectedAndSeen[0]);
      }
    } finally {
      threads.shutdownNow();
    }
  }
}
