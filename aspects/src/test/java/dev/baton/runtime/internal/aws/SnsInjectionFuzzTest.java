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
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishBatchRequest;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishRequest;

/**
 * Fuzz targets for the trace context Baton adds to SNS messages, through the real {@code
 * SnsClient} as a function calls it (woven by ajc, see {@code aspects/pom.xml}), sending to
 * {@link RecordingHttpClient}, a stand-in for SNS. The oracles are {@link SqsInjectionFuzzTest}'s
 * with SNS's size limit: 256 KiB of message and attributes, for one message and for a batch.
 */
class SnsInjectionFuzzTest {

  private static final String TOPIC_ARN = "arn:aws:sns:eu-west-1:123456789012:orders";

  private static InjectionFuzzing fuzzing;
  private static SnsClient sns;

  @BeforeAll
  static void client() {
    fuzzing = new InjectionFuzzing();
    sns = new RecordingClients.Sns(fuzzing.client(SnsClient.builder()), fuzzing.outcome);
  }

  @AfterAll
  static void close() {
    sns.close();
    fuzzing.close();
  }

  @FuzzTest(maxDuration = "10m")
  void publish(FuzzedDataProvider data) {
    String message = InjectionFuzzing.body(data, MessageAttributes.SNS_LIMITS, 1);
    Map<String, MessageAttributeValue> attributes = attributes(data);
    PublishRequest request = PublishRequest.builder().topicArn(TOPIC_ARN).message(message).messageAttributes(attributes).build();
    RuntimeException userFailure = data.consumeInt(0, 9) == 0 ? new IllegalStateException("the user's") : null;
    boolean viaConsumer = userFailure != null || data.consumeBoolean();
    fuzzing.call(
        data,
        () ->
            viaConsumer
                ? sns.publish(
                    builder -> {
                      builder.topicArn(TOPIC_ARN).message(message).messageAttributes(attributes);
                      if (userFailure != null) {
                        throw userFailure;
                      }
                    })
                : sns.publish(request),
        userFailure);
    if (userFailure != null) {
      return;
    }
    PublishRequest sent = (PublishRequest) fuzzing.sent;
    Map<String, Attribute> user = common(attributes);
    Map<String, Attribute> sentAttributes = common(sent.messageAttributes());
    fuzzing.assertMessage("the message", message, user, sent.message(), sentAttributes, fuzzing.notInjected(null));
    InjectionFuzzing.assertWithinLimits(
        "the message",
        MessageAttributes.SNS_LIMITS,
        InjectionFuzzing.bytes(message, user),
        InjectionFuzzing.bytes(sent.message(), sentAttributes));
  }

  @FuzzTest(maxDuration = "10m")
  void publishBatch(FuzzedDataProvider data) {
    int count = data.consumeInt(0, 10);
    List<PublishBatchRequestEntry> entries = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      entries.add(
          PublishBatchRequestEntry.builder()
              .id(data.consumeBoolean() ? "m" + i : FuzzValues.text(data, 10))
              .message(InjectionFuzzing.body(data, MessageAttributes.SNS_LIMITS, Math.max(1, count)))
              .messageAttributes(attributes(data))
              .build());
    }
    PublishBatchRequest request = PublishBatchRequest.builder().topicArn(TOPIC_ARN).publishBatchRequestEntries(entries).build();
    boolean viaConsumer = data.consumeBoolean();
    fuzzing.call(
        data,
        () ->
            viaConsumer
                ? sns.publishBatch(builder -> builder.topicArn(TOPIC_ARN).publishBatchRequestEntries(entries))
                : sns.publishBatch(request),
        null);
    List<PublishBatchRequestEntry> sent = ((PublishBatchRequest) fuzzing.sent).publishBatchRequestEntries();
    assertThat(sent).hasSameSizeAs(entries);
    boolean uniqueIds = entries.stream().map(PublishBatchRequestEntry::id).distinct().count() == entries.size();
    long userBytes = 0;
    long sentBytes = 0;
    for (int i = 0; i < entries.size(); i++) {
      PublishBatchRequestEntry entry = entries.get(i);
      PublishBatchRequestEntry arrived = sent.get(i);
      assertThat(arrived.id()).isEqualTo(entry.id());
      Map<String, Attribute> user = common(entry.messageAttributes());
      Map<String, Attribute> sentAttributes = common(arrived.messageAttributes());
      if (uniqueIds) {
        fuzzing.assertMessage(
            "entry " + entry.id(), entry.message(), user, arrived.message(), sentAttributes, fuzzing.notInjected(entry.id()));
      }
      long before = InjectionFuzzing.bytes(entry.message(), user);
      long after = InjectionFuzzing.bytes(arrived.message(), sentAttributes);
      InjectionFuzzing.assertWithinLimits("entry " + entry.id(), MessageAttributes.SNS_LIMITS, before, after);
      userBytes += before;
      sentBytes += after;
    }
    InjectionFuzzing.assertWithinLimits("the batch", MessageAttributes.SNS_LIMITS, userBytes, sentBytes);
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
