package dev.baton.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeNameForSends;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Messages carry {@code AWSTraceHeader} the way AWS sets it, on ElasticMQ (natively) and on fauxqs
 * (through {@link AwsTraceHeaderLayer}). Inside Lambda the AWS SDK adds the function's {@code
 * X-Amzn-Trace-Id} to every request; the SDK does that only where {@code
 * AWS_LAMBDA_FUNCTION_NAME} is set, which a test JVM cannot set, so the clients here send the
 * header explicitly.
 */
class AwsTraceHeaderTest {

  private static final String HEADER =
      "Root=1-67a1b2c3-0123456789abcdef01234567;Parent=1111111111111111;Sampled=0";
  private static final String OTHER =
      "Root=1-67a1b2c3-fedcba9876543210fedcba98;Parent=2222222222222222;Sampled=1";

  private static ElasticMqServer elasticMq;
  private static FauxqsServer fauxqs;
  private static int queues;

  @BeforeAll
  static void start() throws Exception {
    elasticMq = ElasticMqServer.start();
    fauxqs = FauxqsServer.start();
  }

  @AfterAll
  static void stop() {
    fauxqs.close();
    elasticMq.close();
  }

  private static ClientOverrideConfiguration withHeader() {
    return ClientOverrideConfiguration.builder().putHeader("X-Amzn-Trace-Id", HEADER).build();
  }

  private static SqsClient sqs(java.net.URI endpoint, boolean header) {
    return SqsClient.builder()
        .endpointOverride(endpoint)
        .region(ElasticMqServer.REGION)
        .credentialsProvider(ElasticMqServer.LocalCredentials.PROVIDER)
        .overrideConfiguration(header ? withHeader() : ClientOverrideConfiguration.builder().build())
        .build();
  }

  private static List<Message> receive(SqsClient sqs, String queueUrl, int count, boolean askForIt) {
    List<Message> messages = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (messages.size() < count && System.nanoTime() < deadline) {
      messages.addAll(sqs.receiveMessage(b -> {
        b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1).messageAttributeNames("All");
        if (askForIt) {
          b.messageSystemAttributeNames(MessageSystemAttributeName.AWS_TRACE_HEADER);
        }
      }).messages());
    }
    assertThat(messages).hasSize(count);
    return messages;
  }

  private static String traceHeader(Message message) {
    return message.attributes().get(MessageSystemAttributeName.AWS_TRACE_HEADER);
  }

  private static void sendsKeepTheRequestsHeader(java.net.URI endpoint) {
    try (SqsClient traced = sqs(endpoint, true); SqsClient plain = sqs(endpoint, false)) {
      String queue = plain.createQueue(b -> b.queueName("sends-" + ++queues)).queueUrl();
      traced.sendMessage(b -> b.queueUrl(queue).messageBody("single"));
      traced.sendMessageBatch(b -> b.queueUrl(queue).entries(
          SendMessageBatchRequestEntry.builder().id("a").messageBody("batch a").build(),
          SendMessageBatchRequestEntry.builder().id("b").messageBody("batch b")
              .messageSystemAttributes(Map.of(
                  MessageSystemAttributeNameForSends.AWS_TRACE_HEADER,
                  MessageSystemAttributeValue.builder().dataType("String").stringValue(OTHER).build()))
              .build()));
      plain.sendMessage(b -> b.queueUrl(queue).messageBody("untraced"));

      Map<String, String> byBody = new HashMap<>();
      receive(plain, queue, 4, true).forEach(m -> byBody.put(m.body(), String.valueOf(traceHeader(m))));
      assertThat(byBody)
          .containsEntry("single", HEADER)
          .containsEntry("batch a", HEADER)
          .containsEntry("batch b", OTHER)
          .containsEntry("untraced", "null");
    }
  }

  @Test
  void elasticMqKeepsTheHeaderOfEverySendAsAwsTraceHeader() {
    sendsKeepTheRequestsHeader(elasticMq.endpoint());
  }

  @Test
  void fauxqsBehindTheLayerKeepsTheHeaderOfEverySendAsAwsTraceHeader() {
    sendsKeepTheRequestsHeader(fauxqs.endpoint());
  }

  @Test
  void withoutTheLayerFauxqsDropsIt() {
    try (SqsClient traced = sqs(fauxqs.directEndpoint(), true)) {
      String queue = traced.createQueue(b -> b.queueName("direct-" + ++queues)).queueUrl();
      traced.sendMessage(b -> b.queueUrl(queue).messageBody("single"));

      assertThat(traceHeader(receive(traced, queue, 1, true).get(0))).isNull();
    }
  }

  @Test
  void snsHandsThePublishersHeaderOnToTheQueuesItDeliversTo() {
    try (SnsClient sns = SnsClient.builder()
            .endpointOverride(fauxqs.endpoint())
            .region(FauxqsServer.REGION)
            .credentialsProvider(ElasticMqServer.LocalCredentials.PROVIDER)
            .overrideConfiguration(withHeader())
            .build();
        SqsClient sqs = fauxqs.sqsClient()) {
      String topic = sns.createTopic(b -> b.name("events-" + ++queues)).topicArn();
      String envelopes = subscribedQueue(sns, sqs, topic, false);
      String raw = subscribedQueue(sns, sqs, topic, true);

      sns.publish(b -> b.topicArn(topic).message("one"));
      sns.publishBatch(b -> b.topicArn(topic).publishBatchRequestEntries(
          PublishBatchRequestEntry.builder().id("1").message("two").build(),
          PublishBatchRequestEntry.builder().id("2").message("three").build()));

      assertThat(receive(sqs, envelopes, 3, true))
          .allSatisfy(message -> {
            assertThat(message.body()).contains("\"TopicArn\"");
            assertThat(traceHeader(message)).isEqualTo(HEADER);
          });
      assertThat(receive(sqs, raw, 3, true))
          .allSatisfy(message -> assertThat(traceHeader(message)).isEqualTo(HEADER));
    }
  }

  @Test
  void aReceiveThatDoesNotAskForItDoesNotGetIt() {
    try (SqsClient traced = sqs(fauxqs.endpoint(), true)) {
      String queue = traced.createQueue(b -> b.queueName("unasked-" + ++queues)).queueUrl();
      traced.sendMessage(b -> b.queueUrl(queue).messageBody("single"));

      assertThat(traceHeader(receive(traced, queue, 1, false).get(0))).isNull();
    }
  }

  private static String subscribedQueue(SnsClient sns, SqsClient sqs, String topic, boolean raw) {
    String url = sqs.createQueue(b -> b.queueName("delivered-" + ++queues)).queueUrl();
    String arn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributes().get(QueueAttributeName.QUEUE_ARN);
    sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(arn)
        .attributes(Map.of("RawMessageDelivery", Boolean.toString(raw))));
    return url;
  }
}
