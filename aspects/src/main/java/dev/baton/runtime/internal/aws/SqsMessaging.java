package dev.baton.runtime.internal.aws;

import dev.baton.runtime.internal.Failures;
import dev.baton.runtime.internal.SemanticConventions;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeNameForSends;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeValue;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>What the advice of {@code dev.baton.aspects.SqsCalls} calls around {@code SendMessage},
 * {@code SendMessageBatch} and {@code ReceiveMessage} of {@code SqsClient} and {@code
 * SqsAsyncClient}. Sends get a PRODUCER span {@code send <queue>} whose context is added to every
 * message as String message attributes (and as the {@code AWSTraceHeader} system attribute when
 * the X-Ray propagator is configured), except to a message that carries its own (a {@code
 * traceparent} or {@code tracestate} attribute, or an {@code AWSTraceHeader}); receives ask for
 * those attributes. The advice shape is
 * {@link AwsCalls}', with the request passed on through {@link #request}:
 *
 * <pre>{@code
 * AwsCall call = SqsMessaging.send(client, request);
 * try {
 *   return AwsCalls.returned(call, proceed(client, SqsMessaging.request(call, request)));
 * } ...
 * }</pre>
 *
 * <p>No method here throws: on any failure the user's request goes out unchanged.
 */
public final class SqsMessaging {

  static final String STRING = "String";

  private SqsMessaging() {}

  /** {@code SendMessage} with a request: starts the span and prepares the request to send. */
  public static AwsCall send(Object client, SendMessageRequest request) {
    Send call = new Send(client, null);
    call.prepare(request);
    return call;
  }

  /** {@code SendMessage} with a {@code Consumer<Builder>}; see {@link AwsCalls#onBuild}. */
  @SuppressWarnings("unchecked")
  public static AwsCall onBuildSend(Object client, Consumer<?> consumer) {
    return consumer == null ? null : new Send(client, (Consumer<Object>) consumer);
  }

  /** The request to send in place of {@code request}: with the context, or {@code request}. */
  public static SendMessageRequest request(AwsCall call, SendMessageRequest request) {
    return call instanceof Send send && send.request != null ? send.request : request;
  }

  /** {@code SendMessageBatch} with a request. */
  public static AwsCall sendBatch(Object client, SendMessageBatchRequest request) {
    SendBatch call = new SendBatch(client, null);
    call.prepare(request);
    return call;
  }

  /** {@code SendMessageBatch} with a {@code Consumer<Builder>}. */
  @SuppressWarnings("unchecked")
  public static AwsCall onBuildSendBatch(Object client, Consumer<?> consumer) {
    return consumer == null ? null : new SendBatch(client, (Consumer<Object>) consumer);
  }

  /** The batch to send in place of {@code request}. */
  public static SendMessageBatchRequest request(AwsCall call, SendMessageBatchRequest request) {
    return call instanceof SendBatch batch && batch.request != null ? batch.request : request;
  }

  /** {@code ReceiveMessage} with a request. */
  public static AwsCall receive(Object client, ReceiveMessageRequest request) {
    Receive call = new Receive(client, null);
    call.prepare(request);
    return call;
  }

  /** {@code ReceiveMessage} with a {@code Consumer<Builder>}. */
  @SuppressWarnings("unchecked")
  public static AwsCall onBuildReceive(Object client, Consumer<?> consumer) {
    return consumer == null ? null : new Receive(client, (Consumer<Object>) consumer);
  }

  /** The receive request to make in place of {@code request}. */
  public static ReceiveMessageRequest request(AwsCall call, ReceiveMessageRequest request) {
    return call instanceof Receive receive && receive.request != null ? receive.request : request;
  }

  /**
   * What Baton sends in place of one message's attributes and system attributes: the context
   * added to both, or to neither. Null fields: leave that part as it is.
   */
  record Injection(
      Map<String, MessageAttributeValue> attributes,
      Map<MessageSystemAttributeNameForSends, MessageSystemAttributeValue> systemAttributes) {

    boolean isEmpty() {
      return attributes == null && systemAttributes == null;
    }
  }

  /**
   * The context for one message: its String attributes and, when the X-Ray propagator is
   * configured, its {@code AWSTraceHeader} system attribute; none of it when the message carries
   * its own context in either, or the attributes do not fit (see {@link MessageAttributes}).
   * System attributes do not count toward SQS's size limit.
   *
   * <p>An {@code AWSTraceHeader} the user set is the message's own context whatever propagators
   * are configured: with the default ones Baton would add a {@code traceparent}, which the
   * consumer side reads before any X-Ray header, and the message's own trace would be lost. Left
   * unchanged, the message is continued from that header on the consumer side (which uses an
   * X-Ray header only when it says {@code Sampled=1}, as it cannot tell the user's from AWS's).
   */
  static Injection inject(
      String body,
      Map<String, MessageAttributeValue> attributes,
      Map<MessageSystemAttributeNameForSends, MessageSystemAttributeValue> systemAttributes,
      ContextFields fields,
      io.opentelemetry.api.trace.Span span,
      String entryId,
      long messageFewestBytes,
      long messageBytes,
      MessageAttributes.Room room) {
    boolean ownTraceHeader =
        systemAttributes != null
            && systemAttributes.containsKey(MessageSystemAttributeNameForSends.AWS_TRACE_HEADER);
    if (ownTraceHeader) {
      MessageAttributes.notInjected(
          span,
          "the message carries its own trace context, which it keeps; none was added",
          entryId,
          List.of(MessageSystemAttributeNameForSends.AWS_TRACE_HEADER.toString()));
      return new Injection(null, null);
    }
    Map<String, MessageAttributeValue> withContext = null;
    if (!fields.attributes().isEmpty()) {
      withContext =
          MessageAttributes.withContext(
              attributes,
              fields.attributes(),
              StringValue.INSTANCE,
              span,
              entryId,
              messageFewestBytes,
              messageBytes,
              room);
      if (withContext == null) {
        return new Injection(null, null);
      }
    }
    return new Injection(withContext, systemAttributesWithContext(systemAttributes, fields));
  }

  /** What a message counts toward SQS's size limit: its body and its message attributes. */
  static long bytes(String body, Map<String, MessageAttributeValue> attributes) {
    return MessageAttributes.messageBytes(body, attributes, StringValue.INSTANCE);
  }

  /** The fewest bytes the message may count (lone surrogates as 1 byte). */
  static long fewestBytes(String body, Map<String, MessageAttributeValue> attributes) {
    return MessageAttributes.messageBytes(body, attributes, StringValue.INSTANCE, true);
  }

  /** One message's system attributes with {@code AWSTraceHeader}, or null to leave them. */
  static Map<MessageSystemAttributeNameForSends, MessageSystemAttributeValue> systemAttributesWithContext(
      Map<MessageSystemAttributeNameForSends, MessageSystemAttributeValue> existing,
      ContextFields fields) {
    if (fields.xrayHeader() == null
        || (existing != null && existing.containsKey(MessageSystemAttributeNameForSends.AWS_TRACE_HEADER))) {
      return null;
    }
    Map<MessageSystemAttributeNameForSends, MessageSystemAttributeValue> merged =
        existing == null ? new LinkedHashMap<>() : new LinkedHashMap<>(existing);
    merged.put(
        MessageSystemAttributeNameForSends.AWS_TRACE_HEADER,
        MessageSystemAttributeValue.builder().dataType(STRING).stringValue(fields.xrayHeader()).build());
    return merged;
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

  private abstract static class SqsCall extends MessagingCall {
    private String queueUrl;

    SqsCall(Object client, Consumer<Object> mutation, String operationType) {
      super(client, mutation, SemanticConventions.MESSAGING_SYSTEM_AWS_SQS, operationType);
    }

    final void startOn(Object request, SpanKind kind, String queueUrl) {
      this.queueUrl = queueUrl;
      startMessaging(request, kind, queueName(queueUrl));
    }

    @Override
    void addMessagingAttributes(SpanBuilder builder) {
      if (queueUrl != null) {
        builder.setAttribute(SemanticConventions.AWS_SQS_QUEUE_URL, queueUrl);
      }
    }
  }

  /** {@code SendMessage}: PRODUCER {@code send <queue>}, the context in the message. */
  static final class Send extends SqsCall {
    SendMessageRequest request;

    Send(Object client, Consumer<Object> mutation) {
      super(client, mutation, SemanticConventions.MESSAGING_OPERATION_TYPE_SEND);
    }

    void prepare(SendMessageRequest original) {
      try {
        Injection injection = injection(original);
        if (injection == null) {
          return;
        }
        SendMessageRequest.Builder builder = original.toBuilder();
        if (injection.attributes() != null) {
          builder.messageAttributes(injection.attributes());
        }
        if (injection.systemAttributes() != null) {
          builder.messageSystemAttributes(injection.systemAttributes());
        }
        request = builder.build();
      } catch (Throwable failure) {
        request = null;
        Failures.report("injecting the trace context into an SQS message", failure);
      }
    }

    /** Starts the span and works out what the message gets; null: leave it as it is. */
    private Injection injection(SendMessageRequest original) {
      startOn(original, SpanKind.PRODUCER, original == null ? null : original.queueUrl());
      if (original == null) {
        return null;
      }
      ContextFields fields = ContextFields.of(span);
      if (fields.isEmpty()) {
        return null;
      }
      String body = original.messageBody();
      Map<String, MessageAttributeValue> attributes = original.messageAttributes();
      long fewest = fewestBytes(body, attributes);
      long most = bytes(body, attributes);
      Injection injection =
          inject(
              body,
              attributes,
              original.messageSystemAttributes(),
              fields,
              span,
              null,
              fewest,
              most,
              new MessageAttributes.Room(MessageAttributes.SQS_LIMITS, fewest, most));
      return injection.isEmpty() ? null : injection;
    }

    /**
     * The consumer's builder, filled: what it gets goes straight into it (a request built, then
     * rebuilt with the context, only to copy the context back, cost three builds).
     */
    @Override
    void onBuilderFilled(Object builder) {
      SendMessageRequest.Builder sendBuilder = (SendMessageRequest.Builder) builder;
      try {
        Injection injection = injection(sendBuilder.build());
        if (injection == null) {
          return;
        }
        if (injection.attributes() != null) {
          sendBuilder.messageAttributes(injection.attributes());
        }
        if (injection.systemAttributes() != null) {
          sendBuilder.messageSystemAttributes(injection.systemAttributes());
        }
      } catch (Throwable failure) {
        Failures.report("injecting the trace context into an SQS message", failure);
      }
    }

    @Override
    void onResponse(SdkResponse response) {
      if (response instanceof SendMessageResponse sent && sent.messageId() != null) {
        span.setAttribute(SemanticConventions.MESSAGING_MESSAGE_ID, sent.messageId());
      }
    }
  }

  /** {@code SendMessageBatch}: one PRODUCER span, the context in every entry. */
  static final class SendBatch extends SqsCall {
    SendMessageBatchRequest request;
    private int entries;

    SendBatch(Object client, Consumer<Object> mutation) {
      super(client, mutation, SemanticConventions.MESSAGING_OPERATION_TYPE_SEND);
    }

    void prepare(SendMessageBatchRequest original) {
      try {
        List<SendMessageBatchRequestEntry> withContext = entriesWithContext(original);
        if (withContext != null) {
          request = original.toBuilder().entries(withContext).build();
        }
      } catch (Throwable failure) {
        request = null;
        Failures.report("injecting the trace context into an SQS batch", failure);
      }
    }

    /** Starts the span; the entries with the context, or null to leave them. */
    private List<SendMessageBatchRequestEntry> entriesWithContext(SendMessageBatchRequest original) {
      entries = original == null || original.entries() == null ? 0 : original.entries().size();
      startOn(original, SpanKind.PRODUCER, original == null ? null : original.queueUrl());
      if (entries == 0) {
        return null;
      }
      ContextFields fields = ContextFields.of(span);
      if (fields.isEmpty()) {
        return null;
      }
      long batchFewestBytes = 0;
      long batchBytes = 0;
      long[] fewest = new long[entries];
      long[] most = new long[entries];
      for (int i = 0; i < entries; i++) {
        SendMessageBatchRequestEntry entry = original.entries().get(i);
        if (entry != null) {
          fewest[i] = fewestBytes(entry.messageBody(), entry.messageAttributes());
          most[i] = bytes(entry.messageBody(), entry.messageAttributes());
          batchFewestBytes += fewest[i];
          batchBytes += most[i];
        }
      }
      MessageAttributes.Room room =
          new MessageAttributes.Room(MessageAttributes.SQS_LIMITS, batchFewestBytes, batchBytes);
      List<SendMessageBatchRequestEntry> withContext = new ArrayList<>(entries);
      boolean changed = false;
      for (int i = 0; i < entries; i++) {
        SendMessageBatchRequestEntry entry = original.entries().get(i);
        SendMessageBatchRequestEntry injected =
            entry == null ? null : inject(entry, fields, fewest[i], most[i], room);
        changed |= injected != entry;
        withContext.add(injected);
      }
      return changed ? withContext : null;
    }

    private SendMessageBatchRequestEntry inject(
        SendMessageBatchRequestEntry entry,
        ContextFields fields,
        long fewestBytes,
        long bytes,
        MessageAttributes.Room room) {
      Injection injection =
          SqsMessaging.inject(
              entry.messageBody(),
              entry.messageAttributes(),
              entry.messageSystemAttributes(),
              fields,
              span,
              entry.id(),
              fewestBytes,
              bytes,
              room);
      if (injection.isEmpty()) {
        return entry;
      }
      SendMessageBatchRequestEntry.Builder builder = entry.toBuilder();
      if (injection.attributes() != null) {
        builder.messageAttributes(injection.attributes());
      }
      if (injection.systemAttributes() != null) {
        builder.messageSystemAttributes(injection.systemAttributes());
      }
      return builder.build();
    }

    @Override
    void addMessagingAttributes(SpanBuilder builder) {
      super.addMessagingAttributes(builder);
      builder.setAttribute(SemanticConventions.MESSAGING_BATCH_MESSAGE_COUNT, (long) entries);
    }

    /** The consumer's builder, filled: the entries go straight into it (no request rebuilt). */
    @Override
    void onBuilderFilled(Object builder) {
      SendMessageBatchRequest.Builder batchBuilder = (SendMessageBatchRequest.Builder) builder;
      try {
        List<SendMessageBatchRequestEntry> withContext = entriesWithContext(batchBuilder.build());
        if (withContext != null) {
          batchBuilder.entries(withContext);
        }
      } catch (Throwable failure) {
        Failures.report("injecting the trace context into an SQS batch", failure);
      }
    }
  }

  /**
   * {@code ReceiveMessage}: a CLIENT span {@code receive <queue>}; the request also asks for the
   * context's message attributes and {@code AWSTraceHeader}, unless it asks for all already.
   */
  static final class Receive extends SqsCall {
    private static final String ALL = "All";
    private static final String ALL_PATTERN = ".*";

    ReceiveMessageRequest request;

    Receive(Object client, Consumer<Object> mutation) {
      super(client, mutation, SemanticConventions.MESSAGING_OPERATION_TYPE_RECEIVE);
    }

    void prepare(ReceiveMessageRequest original) {
      try {
        Asked asked = asked(original);
        if (asked != null) {
          request = asked.applyTo(original.toBuilder()).build();
        }
      } catch (Throwable failure) {
        request = null;
        Failures.report("asking SQS for the trace context attributes", failure);
      }
    }

    /** What a receive asks for besides the caller's: null when it asks for all of it already. */
    private record Asked(List<String> attributeNames, List<String> systemNames) {
      ReceiveMessageRequest.Builder applyTo(ReceiveMessageRequest.Builder builder) {
        if (attributeNames != null) {
          builder.messageAttributeNames(attributeNames);
        }
        if (systemNames != null) {
          builder.messageSystemAttributeNamesWithStrings(systemNames);
        }
        return builder;
      }
    }

    /** Starts the span; what the request must ask for too, or null to leave it. */
    private Asked asked(ReceiveMessageRequest original) {
      startOn(original, SpanKind.CLIENT, original == null ? null : original.queueUrl());
      if (original == null) {
        return null;
      }
      List<String> attributeNames = withContextNames(original.messageAttributeNames());
      List<String> systemNames = withTraceHeader(original);
      return attributeNames == null && systemNames == null ? null : new Asked(attributeNames, systemNames);
    }

    private static List<String> withContextNames(List<String> asked) {
      if (asked != null && (asked.contains(ALL) || asked.contains(ALL_PATTERN))) {
        return null;
      }
      List<String> names = asked == null ? new ArrayList<>() : new ArrayList<>(asked);
      Set<String> needed = ContextFields.attributeNames();
      boolean added = false;
      for (String name : needed) {
        if (!names.contains(name)) {
          names.add(name);
          added = true;
        }
      }
      return added ? names : null;
    }

    /**
     * The system attributes to ask for: the caller's and {@code AWSTraceHeader}, or null when
     * they include it. A caller that asked with the older {@code AttributeNames} (and no {@code
     * MessageSystemAttributeNames}) has them carried over: SQS reads only the newer parameter when
     * both are given, and the caller must still get what it asked for.
     */
    private static List<String> withTraceHeader(ReceiveMessageRequest request) {
      // As strings: a name newer than this SDK would be UNKNOWN_TO_SDK_VERSION as an enum, and
      // written back as "null" instead of what the caller asked for.
      List<String> asked = request.messageSystemAttributeNamesAsStrings();
      if (asked.contains(MessageSystemAttributeName.ALL.toString())
          || asked.contains(MessageSystemAttributeName.AWS_TRACE_HEADER.toString())) {
        return null;
      }
      List<String> names = new ArrayList<>(asked);
      if (asked.isEmpty() && request.hasAttributeNames()) {
        for (String legacy : request.attributeNamesAsStrings()) {
          MessageSystemAttributeName name = MessageSystemAttributeName.fromValue(legacy);
          if (name == MessageSystemAttributeName.ALL) {
            return List.of(MessageSystemAttributeName.ALL.toString());
          }
          if (name != null && name != MessageSystemAttributeName.UNKNOWN_TO_SDK_VERSION && !names.contains(legacy)) {
            names.add(legacy);
          }
        }
      }
      names.add(MessageSystemAttributeName.AWS_TRACE_HEADER.toString());
      return names;
    }

    /** The consumer's builder, filled: what it must ask for goes straight into it. */
    @Override
    void onBuilderFilled(Object builder) {
      ReceiveMessageRequest.Builder receiveBuilder = (ReceiveMessageRequest.Builder) builder;
      try {
        Asked asked = asked(receiveBuilder.build());
        if (asked != null) {
          asked.applyTo(receiveBuilder);
        }
      } catch (Throwable failure) {
        Failures.report("asking SQS for the trace context attributes", failure);
      }
    }

    @Override
    void onResponse(SdkResponse response) {
      if (response instanceof ReceiveMessageResponse received && received.hasMessages()) {
        ReceivedMessages.remember(received.messages(), destination());
        span.setAttribute(
            SemanticConventions.MESSAGING_BATCH_MESSAGE_COUNT, (long) received.messages().size());
      }
    }
  }
}
