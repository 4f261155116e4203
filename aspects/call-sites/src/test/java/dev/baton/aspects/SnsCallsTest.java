package dev.baton.aspects;

import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.baton.runtime.internal.lambda.LambdaInvocation;
import dev.baton.testing.FauxqsServer;
import dev.baton.testing.TestLambdaContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.semconv.incubating.MessagingIncubatingAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import software.amazon.awssdk.services.sns.model.PublishResponse;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * SNS {@code Publish} and {@code PublishBatch} woven at the call site, against fauxqs: the context
 * reaches SQS subscribers with raw delivery (as message attributes) and without (in the
 * notification envelope in the body), and a Lambda consumer continues the trace from both. Woven
 * by {@code baton:weave} with the library aspects.
 */
class SnsCallsTest {

  private static FauxqsServer server;
  private static SnsClient sns;
  private static SqsClient sqs;
  private static WovenSdkTracing tracing;
  private static int topics;

  private String topicArn;
  private String rawQueueUrl;
  private String envelopeQueueUrl;

  @BeforeAll
  static void start() throws Exception {
    server = FauxqsServer.start();
    sns = server.snsClient();
    sqs = server.sqsClient();
    tracing = WovenSdkTracing.w3c();
  }

  @AfterAll
  static void stop() {
    tracing.close();
    sns.close();
    sqs.close();
    server.close();
  }

  @BeforeEach
  void topicWithTwoQueues() {
    int n = ++topics;
    topicArn = sns.createTopic(b -> b.name("orders-" + n)).topicArn();
    rawQueueUrl = subscribedQueue("raw-" + n, true);
    envelopeQueueUrl = subscribedQueue("envelope-" + n, false);
    tracing.reset();
  }

  @Test
  void publishIsAProducerSpanWhoseContextReachesRawAndEnvelopeSubscribers() {
    PublishResponse response =
        sns.publish(PublishRequest.builder().topicArn(topicArn).message("order placed").build());

    SpanData send = tracing.span("send " + topicName());
    assertThat(send).hasKind(SpanKind.PRODUCER)
        .hasAttribute(MessagingIncubatingAttributes.MESSAGING_SYSTEM, "aws.sns")
        .hasAttribute(MessagingIncubatingAttributes.MESSAGING_DESTINATION_NAME, topicName())
        .hasAttribute(MessagingIncubatingAttributes.MESSAGING_MESSAGE_ID, response.messageId());

    Message raw = receiveOne(rawQueueUrl);
    assertThat(raw.messageAttributes().get("traceparent").stringValue()).isEqualTo(SqsCallsTest.traceparent(send));
    Message envelope = receiveOne(envelopeQueueUrl);
    assertThat(envelope.body()).contains("\"MessageAttributes\"").contains(SqsCallsTest.traceparent(send));

    assertConsumerContinues(raw, send);
    assertConsumerContinues(envelope, send);
  }

  @Test
  void everyPublishBatchEntryCarriesTheContext() {
    sns.publishBatch(b -> b.topicArn(topicArn).publishBatchRequestEntries(
        PublishBatchRequestEntry.builder().id("1").message("first").build(),
        PublishBatchRequestEntry.builder().id("2").message("second").build()));

    SpanData send = tracing.span("send " + topicName());
    assertThat(send).hasKind(SpanKind.PRODUCER)
        .hasAttribute(MessagingIncubatingAttributes.MESSAGING_BATCH_MESSAGE_COUNT, 2L);
    List<Message> raw = receive(rawQueueUrl);
    assertThat(raw).hasSize(2).allSatisfy(message -> assertThat(message.messageAttributes().get("traceparent").stringValue())
        .isEqualTo(SqsCallsTest.traceparent(send)));
    assertThat(receive(envelopeQueueUrl)).hasSize(2)
        .allSatisfy(message -> assertThat(message.body()).contains(SqsCallsTest.traceparent(send)));
  }

  private void assertConsumerContinues(Message message, SpanData send) {
    tracing.reset();
    SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
    record.setMessageId(message.messageId());
    record.setBody(message.body());
    record.setEventSourceArn("arn:aws:sqs:us-east-1:000000000000:subscriber");
    Map<String, SQSEvent.MessageAttribute> attributes = new HashMap<>();
    message.messageAttributes().forEach((name, value) -> {
      SQSEvent.MessageAttribute attribute = new SQSEvent.MessageAttribute();
      attribute.setDataType(value.dataType());
      attribute.setStringValue(value.stringValue());
      attributes.put(name, attribute);
    });
    record.setMessageAttributes(attributes);
    SQSEvent event = new SQSEvent();
    event.setRecords(List.of(record));

    LambdaInvocation.startSqs(event, TestLambdaContext.of("req-" + message.messageId(), "notifier")).endSqs(null);

    assertThat(tracing.spans()).singleElement().satisfies(invocation ->
        assertThat(invocation).hasTraceId(send.getTraceId()).hasParentSpanId(send.getSpanId()));
  }

  private String subscribedQueue(String name, boolean raw) {
    String url = sqs.createQueue(b -> b.queueName(name)).queueUrl();
    String arn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributes().get(QueueAttributeName.QUEUE_ARN);
    sns.subscribe(b -> b.topicArn(topicArn).protocol("sqs").endpoint(arn)
        .attributes(Map.of("RawMessageDelivery", Boolean.toString(raw))));
    return url;
  }

  private Message receiveOne(String queueUrl) {
    List<Message> messages = receive(queueUrl);
    assertThat(messages).hasSize(1);
    return messages.get(0);
  }

  private List<Message> receive(String queueUrl) {
    return sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).messageAttributeNames("All")).messages();
  }

  private String topicName() {
    return topicArn.substring(topicArn.lastIndexOf(':') + 1);
  }
}
