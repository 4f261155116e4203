package dev.baton.runtime.internal.lambda;

import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.baton.runtime.internal.Arns;
import dev.baton.runtime.internal.BatonTelemetry;
import dev.baton.runtime.internal.Failures;
import dev.baton.runtime.internal.SemanticConventions;
import dev.baton.runtime.internal.TelemetryFlush;
import dev.baton.runtime.internal.TracedMethods;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>The {@code process} span of one message, for a {@code @Traced} method whose parameter is an
 * {@code SQSEvent.SQSMessage} or an {@code SNSEvent.SNSRecord}. The span is a CONSUMER span named
 * {@code process <queue or topic>} (or the method's span name) with {@code messaging.system},
 * {@code messaging.operation.type=process}, {@code messaging.destination.name} and {@code
 * messaging.message.id}. Its parent is the current span (the invocation span, usually) when that
 * span is already in the message's trace or the message carries no context; otherwise the
 * message's own context, with a link to the current span. So every message's trace goes on.
 * The message's context is the one the invocation's batch extracted ({@link MessageBatch}): each
 * message is parsed once per invocation.
 *
 * <p>The span is returned started; the generated advice makes it current and ends it with {@link
 * TracedMethods}. Never throws: on failure it returns the invalid span.
 */
public final class MessageSpans {

  private MessageSpans() {}

  /** The {@code process} span of {@code message}; {@code spanName} null for the default name. */
  public static Span sqsMessage(String spanName, SQSEvent.SQSMessage message) {
    try {
      Context incoming = MessageBatch.extracted(message);
      String queue = message == null ? null : Arns.lastPart(message.getEventSourceArn());
      String id = message == null ? null : message.getMessageId();
      return start(spanName, SemanticConventions.MESSAGING_SYSTEM_AWS_SQS, queue, id, incoming);
    } catch (Throwable failure) {
      return TracedMethods.startFailed(failure);
    }
  }

  /** The {@code process} span of {@code record}; {@code spanName} null for the default name. */
  public static Span snsRecord(String spanName, SNSEvent.SNSRecord record) {
    try {
      Context incoming = MessageBatch.extracted(record);
      SNSEvent.SNS sns = record == null ? null : record.getSNS();
      String topic = sns == null ? null : Arns.lastPart(sns.getTopicArn());
      String id = sns == null ? null : sns.getMessageId();
      return start(spanName, SemanticConventions.MESSAGING_SYSTEM_AWS_SNS, topic, id, incoming);
    } catch (Throwable failure) {
      return TracedMethods.startFailed(failure);
    }
  }

  static Span start(
      String spanName, String system, String destination, String messageId, Context incoming) {
    Context current = Context.current();
    SpanContext currentSpan = Span.fromContext(current).getSpanContext();
    String name = spanName;
    if (name == null || name.isEmpty()) {
      name = processSpanName(destination);
    }
    SpanBuilder builder =
        BatonTelemetry.tracer().spanBuilder(name).setSpanKind(SpanKind.CONSUMER);
    boolean sameTrace =
        incoming != null
            && currentSpan.isValid()
            && currentSpan.getTraceId().equals(IncomingContext.spanContext(incoming).getTraceId());
    if (incoming == null || sameTrace) {
      builder.setParent(current);
    } else {
      // The message's own parent; the span still belongs to the invocation it runs in.
      TelemetryFlush.Invocation invocation = current.get(TelemetryFlush.INVOCATION);
      builder.setParent(
          invocation == null ? incoming : incoming.with(TelemetryFlush.INVOCATION, invocation));
      if (currentSpan.isValid()) {
        builder.addLink(currentSpan);
      }
    }
    addProcessAttributes(builder, system, destination);
    if (messageId != null) {
      builder.setAttribute(SemanticConventions.MESSAGING_MESSAGE_ID, messageId);
    }
    try {
      return builder.startSpan();
    } catch (Throwable failure) {
      Failures.report("starting a message span", failure);
      return Span.getInvalid();
    }
  }

  /**
   * The default name of a {@code process} span: {@code process <destination>}, or {@code process}
   * when the destination is not known. Also the invocation span's name for an SQS or SNS event.
   */
  static String processSpanName(String destination) {
    String process = SemanticConventions.MESSAGING_OPERATION_TYPE_PROCESS;
    return destination == null ? process : process + " " + destination;
  }

  /**
   * The attributes of a {@code process} span: {@code messaging.system}, {@code
   * messaging.operation.type} and {@code messaging.operation.name} ({@code process}) and, when
   * known, {@code messaging.destination.name}. Also the invocation span's for an SQS or SNS event.
   */
  static void addProcessAttributes(SpanBuilder builder, String system, String destination) {
    builder.setAttribute(SemanticConventions.MESSAGING_SYSTEM, system);
    builder.setAttribute(
        SemanticConventions.MESSAGING_OPERATION_TYPE,
        SemanticConventions.MESSAGING_OPERATION_TYPE_PROCESS);
    builder.setAttribute(
        SemanticConventions.MESSAGING_OPERATION_NAME,
        SemanticConventions.MESSAGING_OPERATION_TYPE_PROCESS);
    if (destination != null) {
      builder.setAttribute(SemanticConventions.MESSAGING_DESTINATION_NAME, destination);
    }
  }
}
