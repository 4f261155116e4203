package dev.baton.runtime.internal.lambda;

import dev.baton.runtime.internal.Failures;
import dev.baton.runtime.internal.SemanticConventions;
import dev.baton.runtime.internal.TracedMethods;
import dev.baton.runtime.internal.aws.ReceivedMessages;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Internal: not part of Baton's public API.
 *
 * <p>The {@code process} span of a {@code @Traced} method whose parameter is an AWS SDK v2 SQS
 * {@link Message}, as a poller outside Lambda receives it with {@code ReceiveMessage}: the same
 * span as {@link MessageSpans#sqsMessage} gives a Lambda event's message, with the context read
 * from the message's String attributes, else its {@code AWSTraceHeader} system attribute, else an
 * SNS envelope in its body. The queue is named when woven code received the message. A class of
 * its own, so that {@link MessageSpans} needs no SDK on the classpath.
 */
public final class SdkMessageSpans {

  private SdkMessageSpans() {}

  /** The {@code process} span of {@code message}; {@code spanName} null for the default name. */
  public static Span sqsMessage(String spanName, Message message) {
    try {
      Context incoming = fromMessage(message);
      String queue = ReceivedMessages.queueOf(message);
      String id = message == null ? null : message.messageId();
      return MessageSpans.start(
          spanName, SemanticConventions.MESSAGING_SYSTEM_AWS_SQS, queue, id, incoming);
    } catch (Throwable failure) {
      return TracedMethods.startFailed(failure);
    }
  }

  static Context fromMessage(Message message) {
    if (message == null) {
      return null;
    }
    try {
      return IncomingContext.fromSqsParts(
          attributes(message),
          message.hasAttributes()
              ? message.attributes().get(MessageSystemAttributeName.AWS_TRACE_HEADER)
              : null,
          message.body());
    } catch (Throwable failure) {
      Failures.report("extracting the trace context of an SQS message", failure);
      return null;
    }
  }

  private static TreeMap<String, List<String>> attributes(Message message) {
    TreeMap<String, List<String>> carrier = Carriers.newCarrier();
    if (!message.hasMessageAttributes()) {
      return carrier;
    }
    for (Map.Entry<String, MessageAttributeValue> entry : message.messageAttributes().entrySet()) {
      MessageAttributeValue value = entry.getValue();
      if (value != null) {
        IncomingContext.putSqsAttribute(carrier, entry.getKey(), value.dataType(), value.stringValue());
      }
    }
    return carrier;
  }
}
