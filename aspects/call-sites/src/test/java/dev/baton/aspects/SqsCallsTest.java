package dev.baton.aspects;

import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.baton.runtime.internal.lambda.LambdaInvocation;
import dev.baton.runtime.internal.lambda.SdkMessageSpans;
import dev.baton.testing.ElasticMqServer;
import dev.baton.testing.TestLambdaContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.semconv.HttpAttributes;
import io.opentelemetry.semconv.incubating.AwsIncubatingAttributes;
import io.opentelemetry.semconv.incubating.CloudIncubatingAttributes;
import io.opentelemetry.semconv.incubating.MessagingIncubatingAttributes;
import io.opentelemetry.semconv.incubating.RpcIncubatingAttributes;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ListQueuesRequest;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeNameForSends;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeValue;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;

/**
 * SQS calls woven at the call site, against a real ElasticMQ. This class is woven by {@code
 * baton:weave} with the library aspects, so every SDK call below is woven as in a function;
 * what the messages carry is read back from the server.
 */
@SuppressWarnings("deprecation") // rpc.system and rpc.service: the attributes issue 4 asks for
class SqsCallsTest {

  private static ElasticMqServer server;
  private static SqsClient sqs;
  private static SqsAsyncClient sqsAsync;
  private static WovenSdkTracing tracing;
  private static int queues;

  private String queueUrl;

  @BeforeAll
  static void startServer() {
    server = ElasticMqServer.start();
    sqs = server.client();
    sqsAsync = server.asyncClient();
    tracing = WovenSdkTracing.w3c();
  }

  @AfterAll
  static void stopServer() {
    tracing.close();
    sqsAsync.close();
    sqs.close();
    server.close();
  }

  @BeforeEach
  void newQueue() {
    queueUrl = sqs.createQueue(b -> b.queueName("orders-" + ++queues)).queueUrl();
    tracing.reset();
  }

  @Test
  void sendMessageIsAProducerSpanWhoseContextTheMessageCarries() {
    Span parent = tracing.startParent("handler");
    SendMessageResponse response;
    try (Scope scope = parent.makeCurrent()) {
      response = sqs.sendMessage(SendMessageRequest.builder().queueUrl(queueUrl).messageBody("order 1").build());
    } finally {
      parent.end();
    }

    SpanData send = tracing.span("send " + queueName());
    assertThat(send)
        .hasKind(SpanKind.PRODUCER)
        .hasParentSpanId(parent.getSpanContext().getSpanId())
        .hasAttribute(RpcIncubatingAttributes.RPC_SYSTEM, "aws-api")
        .hasAttribute(RpcIncubatingAttributes.RPC_SERVICE, "Sqs")
        .hasAttribute(RpcIncubatingAttributes.RPC_METHOD, "SendMessage")
        .hasAttribute(CloudIncubatingAttributes.CLOUD_REGION, ElasticMqServer.REGION.id())
        .hasAttribute(HttpAttributes.HTTP_RESPONSE_STATUS_CODE, 200L)
        .hasAttribute(MessagingIncubatingAttributes.MESSAGING_SYSTEM, "aws_sqs")
        .hasAttribute(MessagingIncubatingAttributes.MESSAGING_DESTINATION_NAME, queueName())
        .hasAttribute(MessagingIncubatingAttributes.MESSAGING_OPERATION_TYPE, "send")
        .hasAttribute(MessagingIncubatingAttributes.MESSAGING_MESSAGE_ID, response.messageId())
        .hasAttribute(AwsIncubatingAttributes.AWS_SQS_QUEUE_URL, queueUrl);
    Message received = receiveOne();
    assertThat(received.messageAttributes().get("traceparent").stringValue())
        .isEqualTo(traceparent(send));
    assertThat(received.body()).isEqualTo("order 1");
  }

  @Test
  void consumerBuilderOverloadIsTracedAndInjected() {
    SendMessageResponse response = sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody("order 2"));

    SpanData send = tracing.span("send " + queueName());
    assertThat(send).hasKind(SpanKind.PRODUCER)
        .hasAttribute(MessagingIncubatingAttributes.MESSAGING_MESSAGE_ID, response.messageId());
    assertThat(receiveOne().messageAttributes().get("traceparent").stringValue()).isEqualTo(traceparent(send));
  }

  @Test
  void asyncSendEndsItsSpanWhenTheFutureCompletes() {
    SendMessageResponse response =
        sqsAsync.sendMessage(SendMessageRequest.builder().queueUrl(queueUrl).messageBody("order 3").build()).join();
    sqsAsync.sendMessage(b -> b.queueUrl(queueUrl).messageBody("order 4")).join();

    List<SpanData> sends = tracing.spans().stream().filter(s -> s.getName().equals("send " + queueName())).toList();
    assertThat(sends).hasSize(2);
    assertThat(sends.get(0)).hasAttribute(MessagingIncubatingAttributes.MESSAGING_MESSAGE_ID, response.messageId());
    List<Message> received = receive(2);
    assertThat(received).extracting(m -> m.messageAttributes().get("traceparent").stringValue())
        .containsExactlyInAnyOrder(traceparent(sends.get(0)), traceparent(sends.get(1)));
  }

  @Test
  void everyBatchEntryCarriesTheContextAndAFullEntryIsLeftUnchanged() {
    Map<String, MessageAttributeValue> ten = attributes(10);
    SendMessageBatchResponse response =
        sqs.sendMessageBatch(
            b -> b.queueUrl(queueUrl)
                .entries(
                    SendMessageBatchRequestEntry.builder().id("plain").messageBody("a").build(),
                    SendMessageBatchRequestEntry.builder().id("full").messageBody("b").messageAttributes(ten).build(),
                    SendMessageBatchRequestEntry.builder().id("nulls").messageBody("c").messageAttributes(null).build()));

    assertThat(response.successful()).hasSize(3);
    SpanData send = tracing.span("send " + queueName());
    assertThat(send).hasKind(SpanKind.PRODUCER)
        .hasAttribute(RpcIncubatingAttributes.RPC_METHOD, "SendMessageBatch")
        .hasAttribute(MessagingIncubatingAttributes.MESSAGING_BATCH_MESSAGE_COUNT, 3L);
    assertThat(send.getEvents()).singleElement().satisfies(event -> {
      assertThat(event.getName()).isEqualTo("baton.context_not_injected");
      assertThat(event.getAttributes().get(io.opentelemetry.api.common.AttributeKey.stringKey("baton.batch_entry_id")))
          .isEqualTo("full");
    });
    Map<String, Message> byBody = new HashMap<>();
    receive(3).forEach(m -> byBody.put(m.body(), m));
    assertThat(byBody.get("a").messageAttributes().get("traceparent").stringValue()).isEqualTo(traceparent(send));
    assertThat(byBody.get("c").messageAttributes().get("traceparent").stringValue()).isEqualTo(traceparent(send));
    assertThat(byBody.get("b").messageAttributes()).isEqualTo(ten);
  }

  @Test
  void aMessageWithTenAttributesIsSentUnchangedAndTheSpanSaysWhy() {
    Map<String, MessageAttributeValue> ten = attributes(10);
    sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody("full").messageAttributes(ten));

    SpanData send = tracing.span("send " + queueName());
    assertThat(send.getEvents()).singleElement().satisfies(event -> assertThat(event.getName()).isEqualTo("baton.context_not_injected"));
    assertThat(receiveOne().messageAttributes()).isEqualTo(ten);
  }

  @Test
  void aUsersOwnTraceparentIsKept() {
    String own = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody("own")
        .messageAttributes(Map.of("traceparent", string(own))));

    assertThat(receiveOne().messageAttributes().get("traceparent").stringValue()).isEqualTo(own);
  }

  @Test
  void aMessageWithItsOwnContextGetsNoneOfTheNewOne() {
    // A consumer that forwards a message copies its traceparent: adding this span's tracestate,
    // baggage or AWSTraceHeader would mix two traces in one message.
    WovenSdkTracing xray = WovenSdkTracing.w3cAndXray();
    try {
      String own = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
      Span parent = xray.startParent("forwarder");
      try (Scope scope =
          io.opentelemetry.api.baggage.Baggage.builder().put("tenant", "acme").build()
              .storeInContext(io.opentelemetry.context.Context.current().with(parent))
              .makeCurrent()) {
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody("forwarded")
            .messageAttributes(Map.of("Traceparent", string(own))));
      } finally {
        parent.end();
      }

      Message received = receiveOne();
      assertThat(received.messageAttributes()).containsOnlyKeys("Traceparent");
      assertThat(received.attributes()).doesNotContainKey(MessageSystemAttributeName.AWS_TRACE_HEADER);
      SpanData send = xray.span("send " + queueName());
      assertThat(send.getEvents()).singleElement().satisfies(event -> {
        assertThat(event.getName()).isEqualTo("baton.context_not_injected");
        assertThat(event.getAttributes().get(io.opentelemetry.api.common.AttributeKey.stringArrayKey("baton.message_context")))
            .containsExactly("Traceparent");
      });
    } finally {
      xray.close();
      tracing = WovenSdkTracing.w3c();
    }
  }

  @Test
  void aUsersOwnAwsTraceHeaderKeepsTheMessageUnchangedAndTheConsumerContinuesIt() {
    // The default propagators (tracecontext,baggage) write no AWSTraceHeader, but a traceparent
    // added beside the user's header would win on the consumer side: the message's own trace
    // would be lost.
    String own = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
    Map<MessageSystemAttributeNameForSends, MessageSystemAttributeValue> ownHeader = Map.of(
        MessageSystemAttributeNameForSends.AWS_TRACE_HEADER,
        MessageSystemAttributeValue.builder().dataType("String").stringValue(own).build());
    Span parent = tracing.startParent("forwarder");
    try (Scope scope = parent.makeCurrent()) {
      sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody("single").messageSystemAttributes(ownHeader));
      sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(
          SendMessageBatchRequestEntry.builder().id("own").messageBody("entry").messageSystemAttributes(ownHeader).build(),
          SendMessageBatchRequestEntry.builder().id("plain").messageBody("plain").build()));
    } finally {
      parent.end();
    }

    List<SpanData> sends = tracing.spans().stream().filter(s -> s.getName().equals("send " + queueName())).toList();
    assertThat(sends).hasSize(2).allSatisfy(send ->
        assertThat(send.getEvents()).singleElement().satisfies(event -> {
          assertThat(event.getName()).isEqualTo("baton.context_not_injected");
          assertThat(event.getAttributes().get(io.opentelemetry.api.common.AttributeKey.stringArrayKey("baton.message_context")))
              .containsExactly("AWSTraceHeader");
        }));
    Map<String, Message> byBody = new HashMap<>();
    receive(3).forEach(m -> byBody.put(m.body(), m));
    for (String body : List.of("single", "entry")) {
      Message received = byBody.get(body);
      assertThat(received.messageAttributes()).as(body).isEmpty();
      assertThat(received.attributes()).containsEntry(MessageSystemAttributeName.AWS_TRACE_HEADER, own);
    }
    assertThat(byBody.get("plain").messageAttributes()).containsKey("traceparent");

    tracing.reset();
    Message received = byBody.get("single");
    SdkMessageSpans.sqsMessage(null, received).end();
    SQSEvent event = new SQSEvent();
    event.setRecords(List.of(lambdaRecord(received)));
    LambdaInvocation.startSqs(event, TestLambdaContext.of("req-own", "orders-worker")).endSqs(null);

    assertThat(tracing.spans()).hasSize(2).allSatisfy(consumer -> assertThat(consumer)
        .hasKind(SpanKind.CONSUMER)
        .hasTraceId("5759e988bd862e3fe1be46a994272793")
        .hasParentSpanId("53995c3f42cd8ad8"));
  }

  @Test
  void aMessageTheContextWouldTakePastTheSizeLimitIsSentUnchanged() {
    // Within SQS's 256 KiB (the limit queues had, and may still be set to) as the user made it:
    // Baton's few bytes must not make SQS refuse it.
    String body = "x".repeat(262_144 - 40);
    sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body));

    assertThat(receiveOne().messageAttributes()).isEmpty();
    assertThat(tracing.span("send " + queueName()).getEvents()).singleElement().satisfies(event ->
        assertThat(event.getAttributes().get(io.opentelemetry.api.common.AttributeKey.stringKey("baton.reason")))
            .contains("size limit"));
  }

  @Test
  void receiveWithTheOlderAttributeNamesStillGetsWhatItAskedFor() {
    sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody("counted"));
    List<ReceiveMessageRequest> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (SqsClient recording = SqsClient.builder()
        .endpointOverride(server.endpoint())
        .region(ElasticMqServer.REGION)
        .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
            software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("local", "local")))
        .overrideConfiguration(o -> o.addExecutionInterceptor(new software.amazon.awssdk.core.interceptor.ExecutionInterceptor() {
          @Override
          public void beforeExecution(
              software.amazon.awssdk.core.interceptor.Context.BeforeExecution context,
              software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
            if (context.request() instanceof ReceiveMessageRequest request) {
              sent.add(request);
            }
          }
        }))
        .build()) {

      List<Message> messages =
          recording.receiveMessage(b -> b.queueUrl(queueUrl).attributeNamesWithStrings("ApproximateReceiveCount"))
              .messages();

      assertThat(messages).singleElement().satisfies(message -> {
        assertThat(message.attributesAsStrings()).containsEntry("ApproximateReceiveCount", "1");
        assertThat(message.messageAttributes()).containsKey("traceparent");
      });
    }
    // ElasticMQ reads both parameters; SQS reads only the newer one when both are given: what
    // the caller asked for with the older one must be in it too.
    org.assertj.core.api.Assertions.assertThat(sent).singleElement().satisfies(request ->
        org.assertj.core.api.Assertions.assertThat(request.messageSystemAttributeNamesAsStrings())
            .contains("ApproximateReceiveCount", "AWSTraceHeader"));
  }

  @Test
  void receiveAsksForTheContextWithoutDroppingWhatTheUserAskedFor() {
    sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody("x").messageAttributes(Map.of("tenant", string("acme"))));
    SpanData send = tracing.span("send " + queueName());

    List<Message> messages =
        sqs.receiveMessage(ReceiveMessageRequest.builder().queueUrl(queueUrl).messageAttributeNames("tenant").build()).messages();

    assertThat(messages).singleElement().satisfies(message -> {
      assertThat(message.messageAttributes()).containsKeys("tenant", "traceparent");
      assertThat(message.messageAttributes().get("traceparent").stringValue()).isEqualTo(traceparent(send));
    });
    assertThat(tracing.span("receive " + queueName()))
        .hasKind(SpanKind.CLIENT)
        .hasAttribute(MessagingIncubatingAttributes.MESSAGING_OPERATION_TYPE, "receive")
        .hasAttribute(MessagingIncubatingAttributes.MESSAGING_BATCH_MESSAGE_COUNT, 1L);
  }

  @Test
  void aPollersProcessSpanContinuesTheProducersTrace() {
    sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody("poll me"));
    SpanData send = tracing.span("send " + queueName());
    Message message = sqs.receiveMessage(b -> b.queueUrl(queueUrl)).messages().get(0);

    Span process = SdkMessageSpans.sqsMessage(null, message);
    process.end();

    SpanData processed = tracing.span("process " + queueName());
    assertThat(processed).hasKind(SpanKind.CONSUMER).hasTraceId(send.getTraceId()).hasParentSpanId(send.getSpanId())
        .hasAttribute(MessagingIncubatingAttributes.MESSAGING_MESSAGE_ID, message.messageId());
  }

  @Test
  void aLambdaConsumerOfTheMessageContinuesTheProducersTrace() {
    sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody("to lambda"));
    SpanData send = tracing.span("send " + queueName());
    Message message = receiveOne();

    SQSEvent event = new SQSEvent();
    event.setRecords(List.of(lambdaRecord(message)));
    LambdaInvocation invocation = LambdaInvocation.startSqs(event, TestLambdaContext.of("req-1", "orders-worker"));
    invocation.endSqs(null);

    SpanData invocationSpan = tracing.spans().stream()
        .filter(s -> s.getKind() == SpanKind.CONSUMER).findFirst().orElseThrow();
    assertThat(invocationSpan).hasTraceId(send.getTraceId()).hasParentSpanId(send.getSpanId());
  }

  @Test
  void otherOperationsAreClientSpansNamedServiceDotOperation() {
    sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNamesWithStrings("All"));
    sqs.listQueues(ListQueuesRequest.builder().build());

    assertThat(tracing.span("Sqs.GetQueueAttributes")).hasKind(SpanKind.CLIENT)
        .hasAttribute(RpcIncubatingAttributes.RPC_SERVICE, "Sqs")
        .hasAttribute(RpcIncubatingAttributes.RPC_METHOD, "GetQueueAttributes")
        .hasAttribute(HttpAttributes.HTTP_RESPONSE_STATUS_CODE, 200L);
    assertThat(tracing.span("Sqs.ListQueues")).hasKind(SpanKind.CLIENT);
  }

  @Test
  void withTheXrayPropagatorTheMessageAlsoCarriesAwsTraceHeader() {
    WovenSdkTracing xray = WovenSdkTracing.w3cAndXray();
    try {
      sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody("xray"));
      SpanData send = xray.span("send " + queueName());
      Message message = receiveOne();
      assertThat(message.attributes().get(MessageSystemAttributeName.AWS_TRACE_HEADER))
          .startsWith("Root=1-" + send.getTraceId().substring(0, 8) + "-" + send.getTraceId().substring(8))
          .contains("Parent=" + send.getSpanId());
      assertThat(message.messageAttributes()).containsKey("traceparent").doesNotContainKey("X-Amzn-Trace-Id");
    } finally {
      xray.close();
      tracing = WovenSdkTracing.w3c();
    }
  }

  private Message receiveOne() {
    List<Message> messages = receive(1);
    assertThat(messages).hasSize(1);
    return messages.get(0);
  }

  /** Receives {@code count} messages (ElasticMQ answers at once: no waiting). */
  private List<Message> receive(int count) {
    return sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
        .messageAttributeNames("All").messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
  }

  private String queueName() {
    return queueUrl.substring(queueUrl.lastIndexOf('/') + 1);
  }

  static String traceparent(SpanData span) {
    return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getSpanContext().getTraceFlags().asHex();
  }

  static MessageAttributeValue string(String value) {
    return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
  }

  private static Map<String, MessageAttributeValue> attributes(int count) {
    Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      attributes.put("a" + i, string("v" + i));
    }
    return attributes;
  }

  /** The Lambda event record SQS would deliver for {@code message} from this queue. */
  private SQSEvent.SQSMessage lambdaRecord(Message message) {
    SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
    record.setMessageId(message.messageId());
    record.setBody(message.body());
    record.setEventSourceArn("arn:aws:sqs:" + ElasticMqServer.REGION.id() + ":" + ElasticMqServer.ACCOUNT_ID + ":" + queueName());
    Map<String, SQSEvent.MessageAttribute> attributes = new HashMap<>();
    message.messageAttributes().forEach((name, value) -> {
      SQSEvent.MessageAttribute attribute = new SQSEvent.MessageAttribute();
      attribute.setDataType(value.dataType());
      attribute.setStringValue(value.stringValue());
      attributes.put(name, attribute);
    });
    record.setMessageAttributes(attributes);
    Map<String, String> system = new HashMap<>();
    message.attributes().forEach((name, value) -> system.put(name.toString(), value));
    record.setAttributes(system);
    return record;
  }
}
