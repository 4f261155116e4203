package dev.baton.runtime.internal.aws;

import dev.baton.runtime.internal.Arns;
import dev.baton.runtime.internal.Failures;
import dev.baton.runtime.internal.SemanticConventions;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishBatchRequest;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import software.amazon.awssdk.services.sns.model.PublishResponse;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>What the advice of {@code dev.baton.aspects.SnsCalls} calls around {@code Publish} and
 * {@code PublishBatch} of {@code SnsClient} and {@code SnsAsyncClient}: a PRODUCER span {@code
 * send <topic>} ({@code messaging.system=aws.sns}) whose context is added to the message (to every
 * entry of a batch) as String message attributes. SNS hands them on to subscribers: as SQS message
 * attributes with raw delivery, in the notification envelope's {@code MessageAttributes}
 * otherwise; Baton's consumer side reads both. Same advice shape as {@link SqsMessaging}.
 */
public final class SnsMessaging {

  static final String STRING = "String";

  private SnsMessaging() {}

  /** {@code Publish} with a request. */
  public static AwsCall publish(Object client, PublishRequest request) {
    Publish call = new Publish(client, null);
    call.prepare(request);
    return call;
  }

  /** {@code Publish} with a {@code Consumer<Builder>}. */
  @SuppressWarnings("unchecked")
  public static AwsCall onBuildPublish(Object client, Consumer<?> consumer) {
    return consumer == null ? null : new Publish(client, (Consumer<Object>) consumer);
  }

  /** The request to publish in place of {@code request}. */
  public static PublishRequest request(AwsCall call, PublishRequest request) {
    return call instanceof Publish publish && publish.request != null ? publish.request : request;
  }

  /** {@code PublishBatch} with a request. */
  public static AwsCall publishBatch(Object client, PublishBatchRequest request) {
    PublishBatch call = new PublishBatch(client, null);
    call.prepare(request);
    return call;
  }

  /** {@code PublishBatch} with a {@code Consumer<Builder>}. */
  @SuppressWarnings("unchecked")
  public static AwsCall onBuildPublishBatch(Object client, Consumer<?> consumer) {
    return consumer == null ? null : new PublishBatch(client, (Consumer<Object>) consumer);
  }

  /** The batch to publish in place of {@code request}. */
  public static PublishBatchRequest request(AwsCall call, PublishBatchRequest request) {
    return call instanceof PublishBatch batch && batch.request != null ? batch.request : request;
  }

  /**
   * A String message attribute, and what an attribute value counts toward the size limit. A class
   * rather than method references, which would spin lambda classes on the first send.
   */
  private enum StringValue
      implements Function<String, MessageAttributeValue>,
          MessageAttributes.ValueSize<MessageAttributeValue> {
    INSTANCE;

    @Override
    public MessageAttributeValue apply(String value) {
      return MessageAttributeValue.builder().dataType(STRING).stringValue(value).build();
    }

    @Override
    public long bytes(MessageAttributeValue value, boolean fewest) {
      long bytes =
          MessageAttributes.utf8Length(value.dataType(), fewest)
              + MessageAttributes.utf8Length(value.stringValue(), fewest);
      return value.binaryValue() == null ? bytes : bytes + value.binaryValue().asByteArrayUnsafe().length;
    }
  }

  /** What a message counts toward SNS's size limit: its body and its message attributes. */
  static long bytes(String message, Map<String, MessageAttributeValue> attributes) {
    return MessageAttributes.messageBytes(message, attributes, StringValue.INSTANCE);
  }

  /** The fewest bytes the message may count (lone surrogates as 1 byte). */
  static long fewestBytes(String message, Map<String, MessageAttributeValue> attributes) {
    return MessageAttributes.messageBytes(message, attributes, StringValue.INSTANCE, true);
  }

  private abstract static class SnsCall extends MessagingCall {
    private String topicArn;

    SnsCall(Object client, Consumer<Object> mutation) {
      super(
          client,
          mutation,
          SemanticConventions.MESSAGING_SYSTEM_AWS_SNS,
          SemanticConventions.MESSAGING_OPERATION_TYPE_SEND);
    }

    final void startOn(Object request, String topicArn) {
      this.topicArn = topicArn;
      startMessaging(request, SpanKind.PRODUCER, Arns.lastPart(topicArn));
    }

    @Override
    void addMessagingAttributes(SpanBuilder builder) {
      if (topicArn != null) {
        builder.setAttribute(SemanticConventions.AWS_SNS_TOPIC_ARN, topicArn);
      }
    }

    final Map<String, MessageAttributeValue> withContext(
        String message,
        Map<String, MessageAttributeValue> existing,
        ContextFields fields,
        String entryId,
        MessageAttributes.Room room) {
      return MessageAttributes.withContext(
          existing,
          fields.attributes(),
          StringValue.INSTANCE,
          span,
          entryId,
          fewestBytes(message, existing),
          bytes(message, existing),
          room);
    }
  }

  static final class Publish extends SnsCall {
    PublishRequest request;

    Publish(Object client, Consumer<Object> mutation) {
      super(client, mutation);
    }

    void prepare(PublishRequest original) {
      try {
        Map<String, MessageAttributeValue> attributes = attributesWithContext(original);
        if (attributes != null) {
          request = original.toBuilder().messageAttributes(attributes).build();
        }
      } catch (Throwable failure) {
        request = null;
        Failures.report("injecting the trace context into an SNS message", failure);
      }
    }

    /** Starts the span; the message's attributes with the context, or null to leave them. */
    private Map<String, MessageAttributeValue> attributesWithContext(PublishRequest original) {
      String arn = original == null ? null : original.topicArn() != null ? original.topicArn() : original.targetArn();
      startOn(original, arn);
      if (original == null) {
        return null;
      }
      MessageAttributes.Room room =
          new MessageAttributes.Room(
              MessageAttributes.SNS_LIMITS,
              fewestBytes(original.message(), original.messageAttributes()),
              bytes(original.message(), original.messageAttributes()));
      return withContext(
          original.message(), original.messageAttributes(), ContextFields.of(span), null, room);
    }

    /** The consumer's builder, filled: the attributes go straight into it (no request rebuilt). */
    @Override
    void onBuilderFilled(Object builder) {
      PublishRequest.Builder publishBuilder = (PublishRequest.Builder) builder;
      try {
        Map<String, MessageAttributeValue> attributes = attributesWithContext(publishBuilder.build());
        if (attributes != null) {
          publishBuilder.messageAttributes(attributes);
        }
      } catch (Throwable failure) {
        Failures.report("injecting the trace context into an SNS message", failure);
      }
    }

    @Override
    void onResponse(SdkResponse response) {
      if (response instanceof PublishResponse published && published.messageId() != null) {
        span.setAttribute(SemanticConventions.MESSAGING_MESSAGE_ID, published.messageId());
      }
    }
  }

  static final class PublishBatch extends SnsCall {
    PublishBatchRequest request;
    private int entries;

    PublishBatch(Object client, Consumer<Object> mutation) {
      super(client, mutation);
    }

    void prepare(PublishBatchRequest original) {
      try {
        List<PublishBatchRequestEntry> withContext = entriesWithContext(original);
        if (withContext != null) {
          request = original.toBuilder().publishBatchRequestEntries(withContext).build();
        }
      } catch (Throwable failure) {
        request = null;
        Failures.report("injecting the trace context into an SNS batch", failure);
      }
    }

    /** Starts the span; the entries with the context, or null to leave them. */
    private List<PublishBatchRequestEntry> entriesWithContext(PublishBatchRequest original) {
      List<PublishBatchRequestEntry> originals = original == null ? null : original.publishBatchRequestEntries();
      entries = originals == null ? 0 : originals.size();
      startOn(original, original == null ? null : original.topicArn());
      if (entries == 0) {
        return null;
      }
      ContextFields fields = ContextFields.of(span);
      if (fields.attributes().isEmpty()) {
        return null;
      }
      long batchFewestBytes = 0;
      long batchBytes = 0;
      for (PublishBatchRequestEntry entry : originals) {
        if (entry != null) {
          batchFewestBytes += fewestBytes(entry.message(), entry.messageAttributes());
          batchBytes += bytes(entry.message(), entry.messageAttributes());
        }
      }
      MessageAttributes.Room room =
          new MessageAttributes.Room(MessageAttributes.SNS_LIMITS, batchFewestBytes, batchBytes);
      List<PublishBatchRequestEntry> withContext = new ArrayList<>(entries);
      boolean changed = false;
      for (PublishBatchRequestEntry entry : originals) {
        Map<String, MessageAttributeValue> attributes =
            entry == null
                ? null
                : withContext(entry.message(), entry.messageAttributes(), fields, entry.id(), room);
        PublishBatchRequestEntry injected =
            attributes == null ? entry : entry.toBuilder().messageAttributes(attributes).build();
        changed |= injected != entry;
        withContext.add(injected);
      }
      return changed ? withContext : null;
    }

    @Override
    void addMessagingAttributes(SpanBuilder builder) {
      super.addMessagingAttributes(builder);
      builder.setAttribute(SemanticConventions.MESSAGING_BATCH_MESSAGE_COUNT, (long) entries);
    }

    /** The consumer's builder, filled: the entries go straight into it (no request rebuilt). */
    @Override
    void onBuilderFilled(Object builder) {
      PublishBatchRequest.Builder batchBuilder = (PublishBatchRequest.Builder) builder;
      try {
        List<PublishBatchRequestEntry> withContext = entriesWithContext(batchBuilder.build());
        if (withContext != null) {
          batchBuilder.publishBatchRequestEntries(withContext);
        }
      } catch (Throwable failure) {
        Failures.report("injecting the trace context into an SNS batch", failure);
      }
    }
  }

}
