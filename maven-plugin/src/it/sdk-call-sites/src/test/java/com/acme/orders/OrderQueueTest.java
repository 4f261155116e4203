package com.acme.orders;

import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.runtime.Baton;
import dev.baton.testing.ElasticMqServer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;

/**
 * The woven OrderQueue against a real ElasticMQ. This test class itself is not woven: it reads
 * the messages back with a plain client and checks what they carry.
 */
class OrderQueueTest {

  private static final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private static ElasticMqServer server;
  private static SqsClient reader;
  private static OpenTelemetrySdk sdk;
  private static int queues;

  private String queueUrl;
  private OrderQueue queue;

  @BeforeAll
  static void start() {
    server = ElasticMqServer.start();
    reader = server.client();
    sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    Baton.useOpenTelemetry(sdk);
  }

  @AfterAll
  static void stop() {
    sdk.close();
    reader.close();
    server.close();
  }

  @BeforeEach
  void newQueue() {
    queueUrl = reader.createQueue(b -> b.queueName("orders-" + ++queues)).queueUrl();
    queue = new OrderQueue(server.client(), server.asyncClient(), queueUrl);
    exporter.reset();
  }

  private List<Message> readBack() {
    return reader
        .receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).messageAttributeNames("All"))
        .messages();
  }

  private static SpanData producer() {
    return exporter.getFinishedSpanItems().stream()
        .filter(span -> span.getKind() == SpanKind.PRODUCER)
        .findFirst()
        .orElseThrow();
  }

  /** The traceparent of {@code span}, up to its flags (which may carry more than "sampled"). */
  private static String traceparentOf(SpanData span) {
    return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-";
  }

  @Test
  void everySendStyleCarriesTheProducerSpansContext() throws Exception {
    Span parent = sdk.getTracer("test").spanBuilder("handler").startSpan();
    try (Scope ignored = parent.makeCurrent()) {
      SendMessageResponse response = queue.send("one");
      assertThat(response.messageId()).isNotBlank();
    }
    parent.end();
    SpanData send = producer();
    assertThat(send)
        .hasName("send " + queueUrl.substring(queueUrl.lastIndexOf('/') + 1))
        .hasParentSpanId(parent.getSpanContext().getSpanId());
    assertThat(readBack().get(0).messageAttributes().get("traceparent").stringValue())
        .startsWith(traceparentOf(send));

    for (Runnable style :
        List.<Runnable>of(
            () -> queue.sendWithBuilder("two"),
            () -> queue.sendAsync("three").join(),
            () -> queue.sendBatch(List.of("four", "five")))) {
      exporter.reset();
      style.run();
      SpanData span = producer();
      List<Message> messages = readBack();
      assertThat(messages).isNotEmpty();
      for (Message message : messages) {
        assertThat(message.messageAttributes().get("traceparent").stringValue())
            .startsWith(traceparentOf(span));
        reader.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
      }
    }
  }

  @Test
  void tenAttributesLeaveTheMessageUnchangedAndAUsersOwnTraceparentIsKept() {
    Map<String, MessageAttributeValue> ten = new java.util.HashMap<>();
    for (int i = 0; i < 10; i++) {
      ten.put("a" + i, MessageAttributeValue.builder().dataType("String").stringValue("v" + i).build());
    }
    queue.sendWithAttributes("full", ten);
    assertThat(readBack().get(0).messageAttributes()).containsOnlyKeys(ten.keySet());

    MessageAttributeValue mine =
        MessageAttributeValue.builder().dataType("String").stringValue("00-" + "1".repeat(32) + "-" + "2".repeat(16) + "-01").build();
    queue.sendWithAttributes("mine", Map.of("traceparent", mine));
    assertThat(readBack().get(0).messageAttributes().get("traceparent").stringValue())
        .isEqualTo(mine.stringValue());
  }

  @Test
  void wovenCallSitesRunWithoutTheAspectJRuntime() {
    assertThat(getClass().getClassLoader().getResource("org/aspectj/lang/NoAspectBoundException.class"))
        .as("AspectJ's runtime on the test classpath")
        .isNull();

    assertThat(queue.send("no aspectj").messageId()).isNotBlank();
    assertThat(exporter.getFinishedSpanItems()).extracting(SpanData::getKind).contains(SpanKind.PRODUCER);
  }

  @Test
  void errorsPassThroughUnchangedAndMarkTheSpan() {
    assertThatThrownBy(queue::missingQueue).isInstanceOf(QueueDoesNotExistException.class);
    SpanData span = exporter.getFinishedSpanItems().get(0);
    assertThat(span).hasName("Sqs.GetQueueUrl").hasKind(SpanKind.CLIENT);
    assertThat(span.getStatus().getStatusCode()).isEqualTo(io.opentelemetry.api.trace.StatusCode.ERROR);
  }
}
