package dev.baton.example.orders.local;

import dev.baton.testing.LocalLambdaRuntime;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.protocols.jsoncore.JsonWriter;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Plays Lambda's SQS event source mapping for one queue and one function: receives from the real
 * queue, turns the messages into the {@code SQSEvent} JSON Lambda sends, invokes the function
 * through its Runtime API, and deletes every message that is not among the response's batch item
 * failures ({@code ReportBatchItemFailures}).
 */
final class SqsEventSource {

  private final SqsClient sqs;
  private final String queueUrl;
  private final String queueArn;
  private final String region;

  SqsEventSource(SqsClient sqs, String queueUrl, String queueArn, String region) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
    this.queueArn = queueArn;
    this.region = region;
  }

  /** What one poll delivered. */
  record Delivery(List<Message> messages, LocalLambdaRuntime.Result result, Set<String> failedMessageIds) {}

  /**
   * Receives until {@code count} messages are in hand (as a batching window would), waiting up to
   * {@code timeout}, then delivers them as one batch.
   */
  Delivery deliverNext(LocalLambdaRuntime function, int count, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Message> messages = new ArrayList<>();
    while (messages.size() < count) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            messages.size() + " of " + count + " messages arrived on " + queueArn + " within " + timeout);
      }
      int wanted = Math.min(10, count - messages.size());
      messages.addAll(
          sqs.receiveMessage(receive -> receive
                  .queueUrl(queueUrl)
                  .maxNumberOfMessages(wanted)
                  .waitTimeSeconds(1)
                  .messageAttributeNames("All")
                  .messageSystemAttributeNames(MessageSystemAttributeName.ALL))
              .messages());
    }
    LocalLambdaRuntime.Result result = function.invoke(LocalLambdaRuntime.invocation(event(messages)));
    // Baton exports after the response, before the function asks for its next event.
    function.awaitExtensionsDone(result, timeout);
    Set<String> failed = failedMessageIds(result, messages);
    for (Message message : messages) {
      if (!failed.contains(message.messageId())) {
        sqs.deleteMessage(delete -> delete.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
      }
    }
    return new Delivery(messages, result, failed);
  }

  /** The {@code SQSEvent} Lambda would send for {@code messages}. */
  String event(List<Message> messages) {
    JsonWriter json = JsonWriter.create();
    json.writeStartObject().writeFieldName("Records").writeStartArray();
    for (Message message : messages) {
      json.writeStartObject();
      field(json, "messageId", message.messageId());
      field(json, "receiptHandle", message.receiptHandle());
      field(json, "body", message.body());
      json.writeFieldName("attributes").writeStartObject();
      message.attributesAsStrings().forEach((name, value) -> field(json, name, value));
      json.writeEndObject();
      json.writeFieldName("messageAttributes").writeStartObject();
      for (Map.Entry<String, MessageAttributeValue> attribute : message.messageAttributes().entrySet()) {
        MessageAttributeValue value = attribute.getValue();
        json.writeFieldName(attribute.getKey()).writeStartObject();
        if (value.stringValue() != null) {
          field(json, "stringValue", value.stringValue());
        }
        if (value.binaryValue() != null) {
          field(json, "binaryValue", Base64.getEncoder().encodeToString(value.binaryValue().asByteArray()));
        }
        json.writeFieldName("stringListValues").writeStartArray().writeEndArray();
        json.writeFieldName("binaryListValues").writeStartArray().writeEndArray();
        field(json, "dataType", value.dataType());
        json.writeEndObject();
      }
      json.writeEndObject();
      field(json, "md5OfBody", message.md5OfBody());
      if (message.md5OfMessageAttributes() != null) {
        field(json, "md5OfMessageAttributes", message.md5OfMessageAttributes());
      }
      field(json, "eventSource", "aws:sqs");
      field(json, "eventSourceARN", queueArn);
      field(json, "awsRegion", region);
      json.writeEndObject();
    }
    json.writeEndArray().writeEndObject();
    return new String(json.getBytes(), StandardCharsets.UTF_8);
  }

  private static Set<String> failedMessageIds(LocalLambdaRuntime.Result result, List<Message> messages) {
    Set<String> failed = new HashSet<>();
    if (result.error()) {
      messages.forEach(message -> failed.add(message.messageId()));
      return failed;
    }
    JsonNode response = JsonNode.parser().parse(result.body());
    if (response.isObject()) {
      List<JsonNode> failures = response.field("batchItemFailures").filter(JsonNode::isArray).map(JsonNode::asArray).orElse(new ArrayList<>());
      for (JsonNode failure : failures) {
        failure.field("itemIdentifier").map(JsonNode::asString).ifPresent(failed::add);
      }
    }
    return failed;
  }

  private static void field(JsonWriter json, String name, String value) {
    json.writeFieldName(name);
    if (value == null) {
      json.writeNull();
    } else {
      json.writeValue(value);
    }
  }
}
