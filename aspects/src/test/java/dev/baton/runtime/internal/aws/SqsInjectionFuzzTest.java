package dev.baton.runtime.internal.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.baton.runtime.internal.FuzzValues;
import dev.baton.runtime.internal.aws.InjectionFuzzing.Attribute;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeNameForSends;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * Fuzz targets for the trace context Baton adds to SQS messages, through the real {@code
 * SqsClient} as a function calls it (this class is woven by ajc with the library aspects, see
 * {@code aspects/pom.xml}), sending to {@link RecordingHttpClient}, a stand-in for SQS. Besides
 * {@link InjectionFuzzing}'s shared oracles: the body, every user attribute and system attribute
 * arrive as the user made them; Baton adds only context fields, within 10 attributes, or leaves
 * the message unchanged with one event saying why; and a message or batch that was within SQS's
 * size limits (256 KiB where a queue keeps the old default, 1 MiB) as the user made it still is.
 */
class SqsInjectionFuzzTest {

  private static final String QUEUE_URL = "https://sqs.eu-west-1.amazonaws.com/123456789012/orders";

  private static InjectionFuzzing fuzzing;
  private static SqsClient sqs;

  @BeforeAll
  static void client() {
    fuzzing = new InjectionFuzzing();
    sqs = new RecordingClients.Sqs(fuzzing.client(SqsClient.builder().checksumValidationEnabled(false)), fuzzing.outcome);
  }

  @AfterAll
  static void close() {
    sqs.close();
    fuzzing.close();
  }

  @FuzzTest(maxDuration = "10m")
  void sendMessage(FuzzedDataProvider data) {
    String body = InjectionFuzzing.body(data, MessageAttributes.SQS_LIMITS, 1);
    Map<String, MessageAttributeValue> attributes = attributes(data);
    Map<MessageSystemAttributeNameForSends, MessageSystemAttributeValue> system = systemAttributes(data);
    SendMessageRequest request =
        SendMessageRequest.builder()
            .queueUrl(QUEUE_URL)
            .messageBody(body)
            .messageAttributes(attributes)
            .messageSystemAttributes(system)
            .build();
    RuntimeException userFailure = data.consumeInt(0, 9) == 0 ? new IllegalArgumentException("the user's") : null;
    boolean viaConsumer = userFailure != null || data.consumeBoolean();
    fuzzing.call(
        data,
        () ->
            viaConsumer
                ? sqs.sendMessage(
                    builder -> {
                      builder.queueUrl(QUEUE_URL).messageBody(body).messageAttributes(attributes).messageSystemAttributes(system);
                      if (userFailure != null) {
                        throw userFailure;
                      }
                    })
                : sqs.sendMessage(request),
        userFailure);
    if (userFailure != null) {
      return;
    }
    SendMessageRequest sent = (SendMessageRequest) fuzzing.sent;
    Map<String, Attribute> user = common(attributes);
    Map<String, Attribute> sentAttributes = common(sent.messageAttributes());
    boolean added =
        fuzzing.assertMessage("the message", body, user, sent.messageBody(), sentAttributes, fuzzing.notInjected(null));
    assertSystemAttributes(system, sent.messageSystemAttributes(), added);
    InjectionFuzzing.assertWithinLimits(
        "the message",
        MessageAttributes.SQS_LIMITS,
        InjectionFuzzing.bytes(body, user),
        InjectionFuzzing.bytes(sent.messageBody(), sentAttributes));
  }

  @FuzzTest(maxDuration = "10m")
  void sendMessageBatch(FuzzedDataProvider data) {
    int count = data.consumeInt(0, 10);
    List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      entries.add(
          SendMessageBatchRequestEntry.builder()
              .id(data.consumeBoolean() ? "m" + i : FuzzValues.text(data, 10))
              .messageBody(InjectionFuzzing.body(data, MessageAttributes.SQS_LIMITS, Math.max(1, count)))
              .messageAttributes(attributes(data))
              .messageSystemAttributes(systemAttributes(data))
              .build());
    }
    SendMessageBatchRequest request = SendMessageBatchRequest.builder().queueUrl(QUEUE_URL).entries(entries).build();
    boolean viaConsumer = data.consumeBoolean();
    fuzzing.call(
        data,
        () -> viaConsumer ? sqs.sendMessageBatch(builder -> builder.queueUrl(QUEUE_URL).entries(entries)) : sqs.sendMessageBatch(request),
        null);
    List<SendMessageBatchRequestEntry> sent = ((SendMessageBatchRequest) fuzzing.sent).entries();
    assertThat(sent).hasSameSizeAs(entries);
    long userBytes = 0;
    long sentBytes = 0;
    boolean uniqueIds = entries.stream().map(SendMessageBatchRequestEntry::id).distinct().count() == entries.size();
    for (int i = 0; i < entries.size(); i++) {
      SendMessageBatchRequestEntry entry = entries.get(i);
      SendMessageBatchRequestEntry arrived = sent.get(i);
      assertThat(arrived.id()).isEqualTo(entry.id());
      Map<String, Attribute> user = common(entry.messageAttributes());
      Map<String, Attribute> sentAttributes = common(arrived.messageAttributes());
      if (uniqueIds) {
        boolean added =
            fuzzing.assertMessage(
                "entry " + entry.id(), entry.messageBody(), user, arrived.messageBody(), sentAttributes, fuzzing.notInjected(entry.id()));
        assertSystemAttributes(entry.messageSystemAttributes(), arrived.messageSystemAttributes(), added);
      }
      long before = InjectionFuzzing.bytes(entry.messageBody(), user);
      long after = InjectionFuzzing.bytes(arrived.messageBody(), sentAttributes);
      InjectionFuzzing.assertWithinLimits("entry " + entry.id(), MessageAttributes.SQS_LIMITS, before, after);
      userBytes += before;
      sentBytes += after;
    }
    InjectionFuzzing.assertWithinLimits("the batch", MessageAttributes.SQS_LIMITS, userBytes, sentBytes);
  }

  /** The user's system attributes arrive; {@code AWSTraceHeader} is added with the context. */
  private static void assertSystemAttributes(
      Map<MessageSystemAttributeNameForSends, MessageSystemAttributeValue> user,
      Map<MessageSystemAttributeNameForSends, MessageSystemAttributeValue> sent,
      boolean added) {
    for (Map.Entry<MessageSystemAttributeNameForSends, MessageSystemAttributeValue> attribute : user.entrySet()) {
      assertThat(sent).containsEntry(attribute.getKey(), attribute.getValue());
    }
    if (added && fuzzing.xray) {
      assertThat(sent).containsKey(MessageSystemAttributeNameForSends.AWS_TRACE_HEADER);
    } else {
      assertThat(sent).hasSameSizeAs(user);
    }
  }

  private static Map<String, MessageAttributeValue> attributes(FuzzedDataProvider data) {
    Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
    for (String[] spec : InjectionFuzzing.attributeSpecs(data)) {
      MessageAttributeValue.Builder value = MessageAttributeValue.builder().dataType(spec[1]);
      if (spec[1].equals("Binary")) {
        value.binaryValue(SdkBytes.fromByteArray(spec[2].getBytes(StandardCharsets.UTF_8)));
      } else {
        value.stringValue(spec[2]);
      }
      attributes.put(spec[0], value.build());
    }
    return attributes;
  }

  private static Map<MessageSystemAttributeNameForSends, MessageSystemAttributeValue> systemAttributes(FuzzedDataProvider data) {
    Map<MessageSystemAttributeNameForSends, MessageSystemAttributeValue> system = new LinkedHashMap<>();
    if (data.consumeInt(0, 3) == 0) {
      system.put(
          MessageSystemAttributeNameForSends.AWS_TRACE_HEADER,
          MessageSystemAttributeValue.builder().dataType("String").stringValue(FuzzValues.value(data, "AWSTraceHeader", false)).build());
    }
    return system;
  }

  static Map<String, Attribute> common(Map<String, MessageAttributeValue> attributes) {
    Map<String, Attribute> common = new LinkedHashMap<>();
    for (Map.Entry<String, MessageAttributeValue> attribute : attributes.entrySet()) {
      MessageAttributeValue value = attribute.getValue();
      common.put(
          attribute.getKey(),
          new Attribute(value.dataType(), value.stringValue(), value.binaryValue() == null ? null : value.binaryValue().asByteArray()));
    }
    return common;
  }
}
